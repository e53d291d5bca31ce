using System.Diagnostics;
using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Synthetics.Results;
using Xunit.Abstractions;

namespace Synthetics.Core.Tests.Probes.Kubernetes;

public sealed class LeaseCanaryProbeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Cycle_HealthyApi_AllOkWithRenewalsMarginsAndEvents()
    {
        await using var lab = await KubeLab.StartAsync();
        var target = lab.Target(holdSeconds: 3);

        var report = await Task.Run(() => lab.Runner().RunAsync([target], CancellationToken.None));

        var byProbe = report.Results.ToDictionary(r => r.Probe);
        foreach (var result in report.Results)
        {
            output.WriteLine($"{result.Probe}: {result.Outcome.ToContractName()} {result.DurationMs:0} ms {result.Message} "
                             + string.Join(", ", result.Details.Select(d => $"{d.Key}={d.Value}")));
            KubeLab.AssertNoSecrets(result);
        }

        var canary = byProbe["lease-canary"];
        Assert.True(canary.Outcome == ProbeOutcome.Ok, KubeLab.Describe(canary));
        Assert.True((bool)canary.Details["acquired"]);
        Assert.False((bool)canary.Details["leadershipLost"]);
        // 3 s hold with a 0.5 s retry period: an immediate renewal after acquiring, then one every ~0.5 s.
        Assert.InRange(KubeLab.Number(canary, "renewCount"), 3, 10);
        Assert.Equal(0, KubeLab.Number(canary, "renewFailures"));
        Assert.True(KubeLab.Number(canary, "renewP50Ms") <= KubeLab.Number(canary, "renewP99Ms"));
        Assert.InRange(KubeLab.Number(canary, "renewMarginMinMs"), 1000, 2000);
        // The hold, not the target's 2 s timeout, bounds the run.
        Assert.InRange(canary.DurationMs, 2900, 6000);
        Assert.Equal(KubeLab.Vantage, lab.Api.GetLease(KubeLab.Namespace, KubeLab.LeaseName)!.Spec.HolderIdentity);

        var watch = byProbe["watch"];
        Assert.True(watch.Outcome == ProbeOutcome.Ok, KubeLab.Describe(watch));
        Assert.True(KubeLab.Number(watch, "eventsExpected") >= 3, "the canary's renewals are the expected events");
        Assert.Equal(KubeLab.Number(watch, "eventsExpected"), KubeLab.Number(watch, "eventsSeen"));
        Assert.Equal(0, KubeLab.Number(watch, "unexpectedDisconnects"));
        Assert.Equal(1, KubeLab.Number(watch, "connections"));
        Assert.True(KubeLab.Number(watch, "connectionLifetimeMs") >= 3000);
        Assert.True(watch.Details.ContainsKey("timeToFirstEventMs"));

        var api = byProbe["kube-api"];
        Assert.True(api.Outcome == ProbeOutcome.Ok, KubeLab.Describe(api));
        Assert.True(api.Details.ContainsKey("freshMs"));
        Assert.True(api.Details.ContainsKey("reusedMs"));
    }

    [Fact]
    public async Task RunAsync_ApiStallsLongerThanRenewDeadline_LeaseLost()
    {
        await using var lab = await KubeLab.StartAsync();
        var target = lab.Target(holdSeconds: 4, probes: "lease-canary");

        var run = lab.RunAsync(target, "lease-canary");
        await lab.WaitForHolderAsync(KubeLab.Vantage, Patience);
        // Every answer now comes after the 2 s renew deadline, on the canary's existing connection too.
        lab.Api.ResponseDelay = TimeSpan.FromSeconds(3);
        var result = await run;

        output.WriteLine($"{result.Outcome.ToContractName()} {result.DurationMs:0} ms {result.Message} "
                         + string.Join(", ", result.Details.Select(d => $"{d.Key}={d.Value}")));
        Assert.True(result.Outcome == ProbeOutcome.LeaseLost, KubeLab.Describe(result));
        Assert.True((bool)result.Details["leadershipLost"]);
        Assert.True(KubeLab.Number(result, "renewFailures") >= 1);
        Assert.Equal(0, KubeLab.Number(result, "renewMarginMinMs"));
        // The loss ends the run early: no waiting out the hold, and nothing past the hard timeout.
        Assert.True(result.DurationMs < target.Canary!.HeldProbeTimeout.TotalMilliseconds);
        KubeLab.AssertNoSecrets(result);
    }

    [Fact]
    public async Task RunAsync_CompetingHolderWritesBetweenReadAndUpdate_ConflictThenLeaseLostWithoutStealingBack()
    {
        await using var lab = await KubeLab.StartAsync();
        // A 4 s renew deadline leaves room for two slowed calls (read, then update) per renewal.
        var target = lab.Target(holdSeconds: 8, callTimeoutSeconds: 3, timings: (6, 4, 0.5), probes: "lease-canary");
        var leasePath = $"/apis/coordination.k8s.io/v1/namespaces/{KubeLab.Namespace}/leases/{KubeLab.LeaseName}";
        using var rival = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(WriteRivalKubeconfig(lab)));

        var run = lab.RunAsync(target, "lease-canary");
        await lab.WaitForHolderAsync(KubeLab.Vantage, Patience);
        // Every call now waits 1 s before the lab handles it. Once the canary's next read has arrived, a write sent within
        // that second is handled after the read and before the canary's update, which then carries a stale
        // resourceVersion: 409 Conflict.
        lab.Api.ResponseDelay = TimeSpan.FromSeconds(1);
        var gets = lab.Api.GetRequestCount("GET", leasePath);
        var stopwatch = Stopwatch.StartNew();
        while (lab.Api.GetRequestCount("GET", leasePath) == gets && stopwatch.Elapsed < Patience)
        {
            await Task.Delay(5);
        }

        // Not at once: the lab's one-second delays run on coarse timers, and two requests arriving a few milliseconds
        // apart may be handled in either order. 300 ms later still leaves 700 ms for a loaded machine's scheduling.
        await Task.Delay(300);
        var lease = lab.Api.GetLease(KubeLab.Namespace, KubeLab.LeaseName)!;
        lease.Spec.HolderIdentity = "rival";
        lease.Spec.RenewTime = DateTime.UtcNow;
        lease.Spec.LeaseDurationSeconds = 60;
        await rival.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, KubeLab.LeaseName, KubeLab.Namespace);
        var result = await run;

        output.WriteLine($"{result.Outcome.ToContractName()} {result.DurationMs:0} ms {result.Message} "
                         + string.Join(", ", result.Details.Select(d => $"{d.Key}={d.Value}")));
        Assert.True(result.Outcome == ProbeOutcome.LeaseLost, KubeLab.Describe(result));
        Assert.True(KubeLab.Number(result, "renewConflicts") >= 1, "the canary's update after the rival's write is a 409");
        Assert.Equal("rival", result.Details["otherHolder"]);
        // The protocol: a candidate never writes over a holder it has not seen expire.
        Assert.Equal("rival", lab.Api.GetLease(KubeLab.Namespace, KubeLab.LeaseName)!.Spec.HolderIdentity);
    }

    [Fact]
    public async Task RunAsync_AnotherCandidateLeads_NeverAcquiredAndLeaseLeftAlone()
    {
        await using var lab = await KubeLab.StartAsync();
        var target = lab.Target(holdSeconds: 2.5, probes: "lease-canary");
        using var rivalClient = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(WriteRivalKubeconfig(lab)));
        using var rival = new LeaderElector(new LeaderElectionConfig(new LeaseLock(rivalClient, KubeLab.Namespace, KubeLab.LeaseName, "rival"))
        {
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(500),
        });
        using var stopRival = new CancellationTokenSource();
        var rivalRun = Task.Run(() => rival.RunUntilLeadershipLostAsync(stopRival.Token));
        await lab.WaitForHolderAsync("rival", Patience);

        var result = await lab.RunAsync(target, "lease-canary");
        await stopRival.CancelAsync();
        await Task.WhenAny(rivalRun);

        output.WriteLine($"{result.Outcome.ToContractName()} {result.DurationMs:0} ms {result.Message}");
        Assert.True(result.Outcome == ProbeOutcome.LeaseLost, KubeLab.Describe(result));
        Assert.False((bool)result.Details["acquired"]);
        Assert.Equal("rival", result.Details["otherHolder"]);
        Assert.Equal("rival", lab.Api.GetLease(KubeLab.Namespace, KubeLab.LeaseName)!.Spec.HolderIdentity);
    }

    private static string WriteRivalKubeconfig(KubeLab lab)
    {
        var path = Path.Combine(Path.GetTempPath(), $"rival-{Guid.NewGuid():N}.kubeconfig");
        lab.Api.WriteKubeconfig(path, "lke424242", lab.Api.BaseAddress, KubeLab.Token);
        return path;
    }
}
