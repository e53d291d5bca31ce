using System.Net;
using System.Text.Json.Nodes;
using Synthetics.Lab.Region;
using Synthetics.Lab.Scenarios;

namespace Synthetics.Lab.Tests.Region;

public sealed class LabRegionAdminTests
{
    [Fact]
    public async Task AdminAccountAndFaults_PostNoticeEventAndBadAnswers_ServedByTheLinodeApiAndTheStatusPage()
    {
        await using var region = await LabRegion.StartAsync(new LabRegionOptions());
        using var admin = new HttpClient { BaseAddress = region.AdminAddress, Timeout = TimeSpan.FromSeconds(20) };

        using var notice = await admin.PostAsync(new Uri("admin/linode/notifications", UriKind.Relative), Json(
            """{"type":"maintenance","label":"Scheduled NodeBalancer maintenance","when":"2026-03-12T14:00:00Z","until":"2026-03-12T16:00:00Z","entityType":"nodebalancer","entityId":"880101","entityLabel":"ca-web"}"""));
        using var change = await admin.PostAsync(new Uri("admin/linode/events", UriKind.Relative), Json(
            """{"action":"nodebalancer_config_update","created":"2026-03-12T13:55:00Z","entityType":"nodebalancer","entityId":880101,"entityLabel":"ca-web"}"""));
        using var apiFault = await admin.PostAsync(new Uri("admin/linode/fault/server-error", UriKind.Relative), null);
        using var pageFault = await admin.PostAsync(new Uri("admin/statuspage/fault/truncated-json", UriKind.Relative), null);
        using var unknown = await admin.PostAsync(new Uri("admin/statuspage/fault/on-fire", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Created, notice.StatusCode);
        Assert.Equal(HttpStatusCode.Created, change.StatusCode);
        Assert.Equal("2026-03-12T14:00:00", Assert.Single(region.LinodeApi.Model.Notifications).When!.Value.UtcDateTime.ToString("s", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("nodebalancer_config_update", Assert.Single(region.LinodeApi.Model.Events).Action);
        Assert.Equal(Synthetics.Lab.LinodeApi.LinodeApiFault.ServerError, region.LinodeApi.Fault);
        Assert.Equal(Synthetics.Lab.StatusPage.StatusPageFault.TruncatedJson, region.StatusPage.Fault);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        // A scenario switch starts from a quiet account and well-behaved APIs.
        await region.SwitchScenarioAsync(LabScenarios.Healthy);
        Assert.Empty(region.LinodeApi.Model.Events);
        Assert.Equal(Synthetics.Lab.StatusPage.StatusPageFault.None, region.StatusPage.Fault);
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

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
