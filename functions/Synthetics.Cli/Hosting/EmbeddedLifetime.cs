using Microsoft.Extensions.Hosting;

namespace Synthetics.Cli.Hosting;

/// <summary>
/// The lifetime of a pipeline host inside the CLI process: it listens to no console signal. The CLI's own Ctrl-C and
/// SIGTERM handling cancels the command, which stops every host it started (<c>demo</c> runs three); the default console
/// lifetime would take the signal for one host alone.
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
