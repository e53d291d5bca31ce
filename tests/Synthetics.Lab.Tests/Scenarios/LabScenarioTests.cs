using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Synthetics.Lab.Faults;
using Synthetics.Lab.Region;
using Synthetics.Lab.Scenarios;
using Synthetics.Lab.StatusPage;
using Synthetics.Lab.Tests.Region;

namespace Synthetics.Lab.Tests.Scenarios;

public sealed class LabScenarioTests
{
    [Fact]
    public async Task March12_ThroughItsWindow_MaintenanceAndCaCentralFaultsComeAndGo()
    {
        var (region, time) = await StartOnFakeClockAsync(
            LabScenarios.March12, new LabScenarioOptions { Onset = TimeSpan.FromSeconds(1), TimeScale = 1.0 / 60 });
        await using var _ = region;
        using var statusPage = new HttpClient { BaseAddress = region.StatusPage.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        var caCentral = region.GetCluster(LabRegion.CaCentral).NodeBalancer;
        var usEast = region.GetCluster(LabRegion.UsEast).NodeBalancer;

        // Before onset: announced, not started.
        var upcoming = await GetAsync(statusPage, "api/v2/scheduled-maintenances/upcoming.json");
        Assert.Equal("NodeBalancer improvements", (string?)upcoming["scheduled_maintenances"]![0]!["name"]);
        Assert.Empty((await GetAsync(statusPage, "api/v2/scheduled-maintenances/active.json"))["scheduled_maintenances"]!.AsArray());
        Assert.True(caCentral.FaultPlan.IsNone);

        time.Advance(TimeSpan.FromSeconds(1));
        await RegionSupport.EventuallyAsync(
            () => region.StatusPage.Model.GetComponentStatus("CA-Central (Toronto) NodeBalancers") == ComponentStatus.UnderMaintenance,
            "the maintenance to start");

        var active = (await GetAsync(statusPage, "api/v2/scheduled-maintenances/active.json"))["scheduled_maintenances"]!.AsArray();
        var maintenance = Assert.Single(active)!;
        Assert.Equal("NodeBalancer improvements", (string?)maintenance["name"]);
        Assert.Equal("in_progress", (string?)maintenance["status"]);
        var component = Assert.Single(maintenance["components"]!.AsArray())!;
        Assert.Equal("CA-Central (Toronto) NodeBalancers", (string?)component["name"]);
        Assert.Equal("under_maintenance", (string?)component["status"]);

        // Ten minutes scaled by 1/60: a 10 s window, 0.2 s stalls, cuts after 0.5–1.5 s.
        foreach (var vantage in region.Vantages)
        {
            var plan = caCentral.GetEffectiveFaultPlan(vantage);
            Assert.Equal(0.08, plan.StallShare);
            Assert.Equal(0.03, plan.ResetShare);
            Assert.Equal(TimeSpan.FromSeconds(0.2), plan.StallDuration);
            Assert.Equal(TimeSpan.FromSeconds(0.5), plan.CutAfterMin);
            Assert.Equal(TimeSpan.FromSeconds(1.5), plan.CutAfterMax);
            Assert.True(usEast.GetEffectiveFaultPlan(vantage).IsNone);
            Assert.Equal(plan, region.WebNodeBalancer.GetEffectiveFaultPlan(vantage)); // the whole region's fleet
        }

        time.Advance(TimeSpan.FromSeconds(10));
        await region.ScenarioCompletion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(caCentral.FaultPlan.IsNone);
        Assert.True(region.WebNodeBalancer.FaultPlan.IsNone);
        Assert.Empty((await GetAsync(statusPage, "api/v2/scheduled-maintenances/active.json"))["scheduled_maintenances"]!.AsArray());
        Assert.Equal(ComponentStatus.Operational, region.StatusPage.Model.GetComponentStatus("CA-Central (Toronto) NodeBalancers"));
        Assert.Equal(7, region.AppliedScenarioSteps.Count); // scheduled; two faults on; in progress; two faults off; completed
    }

    [Fact]
    public async Task VantageBlip_Default_BlackholesTheSecondVantageOnEveryNodeBalancerForThreeScaledMinutes()
    {
        var (region, time) = await StartOnFakeClockAsync(
            LabScenarios.VantageBlip, new LabScenarioOptions { Onset = TimeSpan.FromSeconds(2), TimeScale = 0.1 });
        await using var _ = region;

        time.Advance(TimeSpan.FromSeconds(2));
        await RegionSupport.EventuallyAsync(() => region.AppliedScenarioSteps.Count == 3, "the blip to apply");
        foreach (var nodeBalancer in region.NodeBalancers.Values)
        {
            Assert.True(nodeBalancer.GetEffectiveFaultPlan("us-central").Blackhole, nodeBalancer.Name);
            Assert.True(nodeBalancer.GetEffectiveFaultPlan("eu-west").IsNone, nodeBalancer.Name);
            Assert.True(nodeBalancer.GetEffectiveFaultPlan("asia-east").IsNone, nodeBalancer.Name);
        }

        time.Advance(TimeSpan.FromSeconds(18));
        await region.ScenarioCompletion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(region.NodeBalancers.Values, nodeBalancer => Assert.Null(nodeBalancer.GetVantageFaultPlan("us-central")));
    }

    [Fact]
    public async Task BackendDown_ThroughItsWindow_BackendStopsAndIsMarkedDownThenReturns()
    {
        var (region, time) = await StartOnFakeClockAsync(
            LabScenarios.BackendDown, new LabScenarioOptions { Onset = TimeSpan.FromSeconds(1), Window = TimeSpan.FromSeconds(5), BackendIndex = 1 });
        await using var _ = region;

        time.Advance(TimeSpan.FromSeconds(1));
        await RegionSupport.EventuallyAsync(() => region.AppliedScenarioSteps.Count == 1, "the backend to go down");
        Assert.False(region.WebBackends.IsRunning(1));
        Assert.False(region.WebNodeBalancer.Backends[1].IsUp);
        Assert.Equal(["UP", "DOWN", "UP"], region.LinodeApi.Model.Nodes.Where(n => n.Label.StartsWith("ca-web", StringComparison.Ordinal)).Select(n => n.Status));

        time.Advance(TimeSpan.FromSeconds(5));
        await region.ScenarioCompletion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(region.WebBackends.IsRunning(1));
        Assert.True(region.WebNodeBalancer.Backends[1].IsUp);
        Assert.All(region.LinodeApi.Model.Nodes, node => Assert.Equal("UP", node.Status));
    }

    [Fact]
    public void March12Plan_ScaledOrShortened_StallAndCutsFitTheWindow()
    {
        var demo = new LabScenarioOptions();
        var full = March12Scenario.Plan(demo, demo.WindowOr(March12Scenario.DefaultWindow));
        Assert.Equal(TimeSpan.FromSeconds(12), full.StallDuration);
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(90)), (full.CutAfterMin!.Value, full.CutAfterMax!.Value));

        var scaled = new LabScenarioOptions { TimeScale = 0.01 };
        var fast = March12Scenario.Plan(scaled, scaled.WindowOr(March12Scenario.DefaultWindow));
        Assert.Equal(TimeSpan.FromMilliseconds(120), fast.StallDuration);
        Assert.Equal((TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(900)), (fast.CutAfterMin!.Value, fast.CutAfterMax!.Value));

        // A window shorter than the default cut range: cuts and stalls still land inside it.
        var shortWindow = new LabScenarioOptions { Window = TimeSpan.FromSeconds(6) };
        var squeezed = March12Scenario.Plan(shortWindow, shortWindow.WindowOr(March12Scenario.DefaultWindow));
        Assert.Equal(TimeSpan.FromSeconds(6), squeezed.StallDuration);
        Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(6)), (squeezed.CutAfterMin!.Value, squeezed.CutAfterMax!.Value));

        var overridden = new LabScenarioOptions { TimeScale = 0.01, StallDuration = TimeSpan.FromSeconds(12) };
        Assert.Equal(TimeSpan.FromSeconds(12), March12Scenario.Plan(overridden, TimeSpan.FromSeconds(6)).StallDuration);
        Assert.Null(March12Scenario.Plan(overridden, TimeSpan.FromSeconds(6)).Validate());
    }

    [Fact]
    public async Task MaintenanceAhead_AtStart_StatusPageAndAccountNoticeADayAheadForCaCentralsNodeBalancer()
    {
        var (region, time) = await StartOnFakeClockAsync(LabScenarios.MaintenanceAhead, new LabScenarioOptions { TimeScale = 1 });
        await using var _ = region;
        using var statusPage = new HttpClient { BaseAddress = region.StatusPage.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        await RegionSupport.EventuallyAsync(() => region.AppliedScenarioSteps.Count == 1, "the announcement");
        var now = time.GetUtcNow();

        var upcoming = (await GetAsync(statusPage, "api/v2/scheduled-maintenances/upcoming.json"))["scheduled_maintenances"]!.AsArray();
        var maintenance = Assert.Single(upcoming)!;
        Assert.Equal("CA-Central (Toronto) NodeBalancers", (string?)maintenance["components"]![0]!["name"]);
        var notice = Assert.Single(region.LinodeApi.Model.Notifications);
        var web = region.LinodeApi.Model.NodeBalancers.Single(n => n.Label == "ca-web");
        Assert.Equal(("maintenance", "nodebalancer", web.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), (notice.Type, notice.EntityType, notice.EntityId));
        Assert.Equal(now + TimeSpan.FromHours(23), notice.When);
        Assert.Equal(now + TimeSpan.FromHours(25), notice.Until);
        Assert.All(region.NodeBalancers.Values, nb => Assert.True(nb.FaultPlan.IsNone));
    }

    [Fact]
    public async Task CustomerChange_AtOnset_ClusterUpdateEventThenResetsOnItsControlPlaneOnly()
    {
        var (region, time) = await StartOnFakeClockAsync(
            LabScenarios.CustomerChange, new LabScenarioOptions { Onset = TimeSpan.FromSeconds(1), TimeScale = 0.1 });
        await using var _ = region;
        var cluster = region.GetCluster(LabRegion.CaCentral);

        time.Advance(TimeSpan.FromSeconds(1));
        await RegionSupport.EventuallyAsync(() => region.LinodeApi.Model.Events.Count == 1, "the cluster update");
        var update = Assert.Single(region.LinodeApi.Model.Events);
        Assert.Equal(("lke_cluster_update", "lkecluster", cluster.Id), (update.Action, update.EntityType, update.EntityId!.Value));
        Assert.True(cluster.NodeBalancer.FaultPlan.IsNone);

        time.Advance(TimeSpan.FromSeconds(1));
        await RegionSupport.EventuallyAsync(() => !cluster.NodeBalancer.FaultPlan.IsNone, "the burst");
        Assert.Equal(CustomerChangeScenario.ResetShare, cluster.NodeBalancer.FaultPlan.ResetShare);
        Assert.True(region.GetCluster(LabRegion.UsEast).NodeBalancer.FaultPlan.IsNone);
        Assert.True(region.WebNodeBalancer.FaultPlan.IsNone);
        Assert.DoesNotContain(region.StatusPage.Model.ComponentNames, n => region.StatusPage.Model.GetComponentStatus(n) != ComponentStatus.Operational);

        time.Advance(TimeSpan.FromSeconds(24));
        await region.ScenarioCompletion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(cluster.NodeBalancer.FaultPlan.IsNone);
    }

    [Fact]
    public void Names_Listed_AreKnownAndDescribed()
    {
        Assert.Equal(["healthy", "march-12", "vantage-blip", "backend-down", "cert-expiring", "maintenance-ahead", "customer-change"], LabScenarios.Names);
        Assert.All(LabScenarios.Names, name => Assert.NotEmpty(LabScenarios.Describe(name)));
        Assert.False(LabScenarios.IsKnown("March-12"));
        Assert.Throws<ArgumentException>(() => LabScenarios.Describe("nope"));
    }

    /// <summary>
    /// A region whose every part and scenario run on a fake clock, started at the real now so certificates are valid
    /// for real clients.
    /// </summary>
    private static async Task<(LabRegion Region, FakeTimeProvider Time)> StartOnFakeClockAsync(string scenario, LabScenarioOptions options)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var region = await LabRegion.StartAsync(new LabRegionOptions { TimeProvider = time, Scenario = scenario, ScenarioOptions = options });
        return (region, time);
    }

    private static async Task<JsonNode> GetAsync(HttpClient client, string path) =>
        JsonNode.Parse(await client.GetStringAsync(new Uri(path, UriKind.Relative)))!;
}
