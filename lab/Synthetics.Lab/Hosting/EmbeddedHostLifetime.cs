using Microsoft.Extensions.Hosting;

namespace Synthetics.Lab.Hosting;

/// <summary>
/// The lifetime of a web host embedded in a larger process (the CLI, a test): it listens to no console signal.
/// The default console lifetime would take Ctrl-C and SIGTERM for itself and stop only its own host, so the process
/// that owns the lab would never hear them.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
