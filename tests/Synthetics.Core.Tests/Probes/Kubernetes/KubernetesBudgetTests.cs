using System.Diagnostics;
using Synthetics.Lab.Faults;
using Synthetics.Results;
using Xunit.Abstractions;

namespace Synthetics.Core.Tests.Probes.Kubernetes;

public sealed class KubernetesBudgetTests(ITestOutputHelper output)
{
    public static TheoryData<string> Faults => ["blackhole", "stall", "reset"];

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Cycle_NodeBalancerFault_EveryProbeReportsWithinItsTimeout(string fault)
    {
        await using var lab = await KubeLab.StartAsync(behindNodeBalancer: true);
        var target = lab.Target(holdSeconds: 2, callTimeoutSeconds: 1);
        lab.NodeBalancer!.SetFaultPlan(fault switch
        {
            "blackhole" => new FaultPlan { Blackhole = true },
            "stall" => new FaultPlan { StallShare = 1, StallDuration = TimeSpan.FromSeconds(30) },
            _ => new FaultPlan { ResetShare = 1 },
        });
        var stopwatch = Stopwatch.StartNew();

        var report = await Task.Run(() => lab.Runner(cycleBudgetSeconds: 10).RunAsync([target], CancellationToken.None));

        stopwatch.Stop();
        foreach (var result in report.Results)
        {
            output.WriteLine($"{result.Probe}: {result.Outcome.ToContractName()} {result.DurationMs:0} ms {result.Message}");
        }

        Assert.Equal(3, report.Results.Count);
        Assert.All(report.Results, r => Assert.False(r.Outcome.IsSuccess(), $"{r.Probe} succeeded through a {fault}"));
        Assert.All(report.Results, r => Assert.DoesNotContain("cycle budget", r.Message ?? "", StringComparison.Ordinal));
        // hold 2 s + one 1 s call + 2 s slack (+1 s linger for the watch), and the runner's abandon grace.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(7), $"the cycle took {stopwatch.Elapsed}");
        Assert.All(report.Results, r => KubeLab.AssertNoSecrets(r));
    }
}
