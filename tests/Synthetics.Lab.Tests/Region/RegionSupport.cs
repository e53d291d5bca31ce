using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Synthetics;
using Synthetics.Configuration;
using Synthetics.Probes;
using Synthetics.Targets;

namespace Synthetics.Lab.Tests.Region;

/// <summary>The product's side of the region tests: load a written config as the CLI does, run one probe cycle over it.</summary>
internal static class RegionSupport
{
    public static (SyntheticsOptions Options, IReadOnlyList<Target> Targets) LoadCatalog(
        string configPath, Action<SyntheticsOptions>? adjust = null)
    {
        // The host's own composition: binding, start-up validation and the one catalog it builds.
        var configuration = SyntheticsConfiguration.LoadFile(configPath);
        var services = new ServiceCollection().AddSynthetics(configuration, Path.GetDirectoryName(configPath));
        if (adjust is not null)
        {
            services.PostConfigure(adjust);
        }

        using var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<IOptions<SyntheticsOptions>>().Value, provider.GetRequiredService<TargetCatalog>().Targets);
    }

    /// <summary>
    /// One cycle of the real runner over the config's targets. The slow threshold is raised because the test machine's
    /// CPU is shared: a handshake queued behind other builds is not the lab's latency.
    /// </summary>
    public static async Task<ProbeCycleReport> RunCycleAsync(string configPath, double timeoutSeconds = 5)
    {
        var (options, targets) = LoadCatalog(configPath, o =>
        {
            o.Probing.TimeoutSeconds = timeoutSeconds;
            o.Probing.SlowThresholdMs = 15_000;
            // The sampler's two series, a second's worth: a cycle of these tests is about what the lab answers, in seconds.
            o.Probing.Sampling.IntervalSeconds = 0.25;
            o.Probing.Sampling.PeriodSeconds = 1;
        });
        var runner = new ProbeCycleRunner(
            SyntheticsServiceCollectionExtensions.BuiltInProbes(),
            TimeProvider.System,
            Microsoft.Extensions.Options.Options.Create(options),
            NullLogger<ProbeCycleRunner>.Instance);
        // Off the test framework's synchronization context, as the product runs cycles.
        return await Task.Run(() => runner.RunAsync(targets, CancellationToken.None));
    }

    /// <summary>Waits (real time) until <paramref name="condition"/> holds; the lab applies steps on its own threads.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {seconds} s waiting for: {what}");
            }

            await Task.Delay(20);
        }
    }

    public static string TempDirectory() => Directory.CreateTempSubdirectory("lab-region-").FullName;
}
