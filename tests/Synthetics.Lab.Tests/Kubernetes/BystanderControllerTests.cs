using System.Text.Json.Nodes;
using Synthetics.Lab.Faults;
using Synthetics.Lab.Kubernetes;
using Synthetics.Lab.Region;
using Synthetics.Lab.Scenarios;

namespace Synthetics.Lab.Tests.Kubernetes;

/// <summary>
/// The bystander controller at 1/20 of cert-manager's timings: a 3 s Lease, a 2 s renew deadline, a 0.75 s retry period.
/// The tests wait for what happens (leading, a loss, leading again), bounded generously; they never time the machine.
/// </summary>
public sealed class BystanderControllerTests
{
    private const double Scale = 0.05;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Bystanders_HealthyRegion_LeadThroughTheirOwnListenerAndNeverLose()
    {
        await using var region = await StartAsync();
        await WaitUntilAsync(() => region.Bystanders.All(b => b.IsLeading));
        var renewDeadline = region.Bystanders[0].Options.RenewDeadline * Scale;

        // Several renew deadlines of leading: every renewal in time.
        await Task.Delay(renewDeadline * 4);

        Assert.Equal([LabRegion.CaCentral, LabRegion.UsEast], region.Bystanders.Select(b => b.LinodeRegion));
        foreach (var bystander in region.Bystanders)
        {
            Assert.True(bystander.IsLeading);
            Assert.Null(bystander.FirstLostLease);
            Assert.Single(bystander.Events);
            var cluster = region.GetCluster(bystander.LinodeRegion);
            var lease = cluster.Api.GetLease("kube-system", "cert-manager-controller");
            Assert.NotNull(lease);
            Assert.Equal(bystander.Events[0].Identity, lease.Spec.HolderIdentity);
            // Its connections are counted apart from the vantages', which nobody used here.
            var statistics = cluster.NodeBalancer.GetStatistics().Vantages;
            Assert.True(statistics[BystanderOptions.InClusterVantage].Forwarded > 0);
            Assert.All(region.Vantages, vantage => Assert.Equal(0, statistics[vantage].Accepted));
        }
    }

    [Fact]
    public async Task Bystander_InClusterSideBlackholedLongerThanTheRenewDeadline_LosesRecordsAndLeadsAgainWhenCleared()
    {
        await using var region = await StartAsync();
        var bystander = region.GetBystander(LabRegion.CaCentral);
        await WaitUntilAsync(() => bystander.IsLeading);
        var nodeBalancer = region.GetCluster(LabRegion.CaCentral).NodeBalancer;
        var renewDeadline = bystander.Options.RenewDeadline * Scale;

        // The in-cluster side loses its path: the open connection is cut, every new one gets no answer.
        var faultStart = region.TimeProvider.GetUtcNow();
        nodeBalancer.SetFaultPlan(
            new FaultPlan { Blackhole = true, CutAfterMin = TimeSpan.Zero, CutAfterMax = TimeSpan.Zero },
            BystanderOptions.InClusterVantage);
        await WaitUntilAsync(() => bystander.FirstLostLease is not null);
        await Task.Delay(renewDeadline);
        Assert.False(bystander.IsLeading);
        nodeBalancer.ClearFaults(BystanderOptions.InClusterVantage);
        var faultEnd = region.TimeProvider.GetUtcNow();
        await WaitUntilAsync(() => bystander.IsLeading);

        var lost = bystander.FirstLostLease!;
        Assert.InRange(lost.At, faultStart, faultEnd);
        Assert.Contains("renew deadline", lost.Reason, StringComparison.Ordinal);
        Assert.NotNull(lost.LedFor);
        var regained = bystander.Events[^1];
        Assert.False(regained.IsLost);
        Assert.True(regained.At > faultEnd);
        // A lost election restarts the controller: it comes back as another candidate and waits out the old Lease.
        Assert.NotEqual(lost.Identity, regained.Identity);
        Assert.Equal(regained.Identity, region.GetCluster(LabRegion.CaCentral).Api.GetLease("kube-system", "cert-manager-controller")!.Spec.HolderIdentity);
        // us-east's bystander goes through another NodeBalancer and never noticed.
        Assert.Null(region.GetBystander(LabRegion.UsEast).FirstLostLease);
    }

    [Fact]
    public async Task AdminBystanders_Healthy_ListsEachClustersElection()
    {
        await using var region = await StartAsync();
        await WaitUntilAsync(() => region.Bystanders.All(b => b.IsLeading));
        using var client = new HttpClient { BaseAddress = region.AdminAddress };

        var bystanders = JsonNode.Parse(await client.GetStringAsync(new Uri("admin/bystanders", UriKind.Relative)))!.AsArray();

        Assert.Equal(["ca-prod", "us-prod"], bystanders.Select(b => (string)b!["cluster"]!));
        Assert.All(bystanders, b =>
        {
            Assert.Equal("kube-system/cert-manager-controller", (string)b!["lease"]!);
            Assert.Equal(BystanderOptions.InClusterVantage, (string)b["vantage"]!);
            Assert.True((bool)b["leading"]!);
            Assert.Null(b["firstLostLease"]);
            Assert.Single(b["events"]!.AsArray());
        });
    }

    [Fact]
    public async Task StartAsync_BystandersOff_NoControllerAndNoInClusterListener()
    {
        await using var region = await LabRegion.StartAsync(new LabRegionOptions { Bystanders = false });

        Assert.Empty(region.Bystanders);
        Assert.Equal(region.Vantages, region.GetCluster(LabRegion.CaCentral).NodeBalancer.Vantages);
    }

    [Fact]
    public async Task StartAsync_VantageNamedInCluster_Refused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            LabRegion.StartAsync(new LabRegionOptions { Vantages = ["eu-west", BystanderOptions.InClusterVantage] }));

        Assert.Contains(BystanderOptions.InClusterVantage, error.Message, StringComparison.Ordinal);
    }

    private static Task<LabRegion> StartAsync() =>
        LabRegion.StartAsync(new LabRegionOptions { ScenarioOptions = new LabScenarioOptions { TimeScale = Scale } });

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), patience.Token);
        }
    }
}
