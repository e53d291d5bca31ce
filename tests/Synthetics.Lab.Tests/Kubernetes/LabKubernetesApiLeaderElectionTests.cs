using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;

namespace Synthetics.Lab.Tests.Kubernetes;

public sealed class LabKubernetesApiLeaderElectionTests
{
    private const string Namespace = "kube-system";
    private const string LeaseName = "synthetics-leader";

    private static LeaderElector NewElector(TestCluster cluster, string identity) =>
        new(new LeaderElectionConfig(new LeaseLock(cluster.CreateClient(), Namespace, LeaseName, identity))
        {
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(500),
        });

    [Fact]
    public async Task LeaderElector_TwoCandidates_FirstLeadsAndRenewsWhileSecondWaits()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var first = NewElector(cluster, "vantage-a");
        using var second = NewElector(cluster, "vantage-b");
        var firstLeads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondLeads = false;
        first.OnStartedLeading += () => firstLeads.TrySetResult();
        second.OnStartedLeading += () => secondLeads = true;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var firstRun = first.RunUntilLeadershipLostAsync(stop.Token);
        await firstLeads.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var secondRun = second.RunUntilLeadershipLostAsync(stop.Token);

        var renewTimes = new List<DateTime>();
        while (renewTimes.Count < 3 && !stop.IsCancellationRequested)
        {
            var lease = cluster.Api.GetLease(Namespace, LeaseName)!;
            Assert.Equal("vantage-a", lease.Spec.HolderIdentity);
            if (renewTimes.Count == 0 || lease.Spec.RenewTime!.Value > renewTimes[^1])
            {
                renewTimes.Add(lease.Spec.RenewTime!.Value);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        // Three distinct renew times: the acquisition and at least two renewals, with the second candidate running throughout.
        Assert.Equal(3, renewTimes.Count);
        Assert.True(first.IsLeader());
        Assert.False(second.IsLeader());
        Assert.False(secondLeads);
        Assert.Equal("vantage-a", second.GetLeader());

        await stop.CancelAsync();
        await Task.WhenAll(Quietly(firstRun), Quietly(secondRun));
    }

    [Fact]
    public async Task LeaderElector_LeaderStops_SecondTakesOverAfterLeaseDuration()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var first = NewElector(cluster, "vantage-a");
        using var second = NewElector(cluster, "vantage-b");
        var firstLeads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondLeads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.OnStartedLeading += () => firstLeads.TrySetResult();
        second.OnStartedLeading += () => secondLeads.TrySetResult();
        using var stopFirst = new CancellationTokenSource();
        using var stopSecond = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var firstRun = first.RunUntilLeadershipLostAsync(stopFirst.Token);
        await firstLeads.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var secondRun = second.RunUntilLeadershipLostAsync(stopSecond.Token);
        await Task.Delay(TimeSpan.FromMilliseconds(600));
        await stopFirst.CancelAsync();
        await Quietly(firstRun);

        await secondLeads.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var lease = cluster.Api.GetLease(Namespace, LeaseName)!;
        Assert.Equal("vantage-b", lease.Spec.HolderIdentity);
        Assert.Equal(1, lease.Spec.LeaseTransitions);

        await stopSecond.CancelAsync();
        await Quietly(secondRun);
    }

    private static async Task Quietly(Task run)
    {
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
