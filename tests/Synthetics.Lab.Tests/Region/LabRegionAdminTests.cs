using System.Net;
using System.Text.Json.Nodes;
using Synthetics.Lab.Region;
using Synthetics.Lab.Scenarios;

namespace Synthetics.Lab.Tests.Region;

public sealed class LabRegionAdminTests
{
    [Fact]
    public async Task AdminScenario_GetThenSwitch_ShowsStepsAndReplacesTheScenario()
    {
        await using var region = await LabRegion.StartAsync(new LabRegionOptions
        {
            Scenario = LabScenarios.BackendDown,
            ScenarioOptions = new LabScenarioOptions { Onset = TimeSpan.Zero, Window = TimeSpan.FromMinutes(5) },
        });
        using var client = new HttpClient { BaseAddress = region.AdminAddress, Timeout = TimeSpan.FromSeconds(20) };
        await RegionSupport.EventuallyAsync(() => !region.WebBackends.IsRunning(0), "backend 0 to go down");

        var scenario = JsonNode.Parse(await client.GetStringAsync(new Uri("admin/scenario", UriKind.Relative)))!;
        Assert.Equal(LabScenarios.BackendDown, (string?)scenario["name"]);
        Assert.Equal("active", (string?)scenario["steps"]![0]!["state"]);
        Assert.Contains(LabScenarios.March12, scenario["known"]!.AsArray().Select(n => (string?)n));

        using var switched = await client.PostAsync(new Uri($"admin/scenario/{LabScenarios.VantageBlip}", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, switched.StatusCode);
        Assert.Equal(LabScenarios.VantageBlip, region.Scenario);
        // The switch put the region back to healthy before the new scenario's onset (30 s by default is not set here: zero).
        Assert.True(region.WebBackends.IsRunning(0));
        Assert.True(region.WebNodeBalancer.Backends[0].IsUp);

        using var unknown = await client.PostAsync(new Uri("admin/scenario/march-13", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var needsRestart = await client.PostAsync(new Uri($"admin/scenario/{LabScenarios.CertExpiring}", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Conflict, needsRestart.StatusCode);

        var nodeBalancers = JsonNode.Parse(await client.GetStringAsync(new Uri("admin/nodebalancers", UriKind.Relative)))!.AsArray();
        Assert.Equal(3, nodeBalancers.Count);
    }
}
