using Synthetics.Lab.Faults;
using Synthetics.Results;
using Xunit.Abstractions;

namespace Synthetics.Core.Tests.Probes.Kubernetes;

public sealed class WatchProbeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Cycle_NodeBalancerCutsOpenConnections_WatchDropped()
    {
        await using var lab = await KubeLab.StartAsync(behindNodeBalancer: true);
        var target = lab.Target(holdSeconds: 3, probes: ["lease-canary", "watch"]);
        // The March-12 pattern: long-lived connections reset after a while.
        lab.NodeBalancer!.SetFaultPlan(new FaultPlan { CutAfterMin = TimeSpan.FromSeconds(1), CutAfterMax = TimeSpan.FromSeconds(1.5) });

        var report = await Task.Run(() => lab.Runner().RunAsync([target], CancellationToken.None));

        foreach (var result in report.Results)
        {
            output.WriteLine($"{result.Probe}: {result.Outcome.ToContractName()} {result.DurationMs:0} ms {result.Message} "
                             + string.Join(", ", result.Details.Select(d => $"{d.Key}={d.Value}")));
        }

        var watch = report.Results.Single(r => r.Probe == "watch");
        Assert.True(watch.Outcome == ProbeOutcome.WatchDropped, KubeLab.Describe(watch));
        Assert.True(KubeLab.Number(watch, "unexpectedDisconnects") >= 1);
        Assert.True(KubeLab.Number(watch, "connections") >= 2, "the watch reconnects like an informer");
        Assert.InRange(KubeLab.Number(watch, "connectionLifetimeMs"), 500, 2500);
    }

    [Fact]
    public async Task RunAsync_NoCanaryRunning_OkWithNothingExpected()
    {
        await using var lab = await KubeLab.StartAsync();
        var target = lab.Target(holdSeconds: 1, probes: "watch");

        var result = await lab.RunAsync(target, "watch");

        Assert.True(result.Outcome == ProbeOutcome.Ok, KubeLab.Describe(result));
        Assert.Equal(0, KubeLab.Number(result, "eventsExpected"));
        Assert.Equal(0, KubeLab.Number(result, "unexpectedDisconnects"));
    }
}
