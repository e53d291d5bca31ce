using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Synthetics.Core.Tests.Results;
using Synthetics.Lab.StatusPage;
using Synthetics.Maintenance;

namespace Synthetics.Core.Tests.Maintenance;

public sealed class MaintenanceTests
{
    [Theory]
    [InlineData("CA-Central (Toronto) NodeBalancers", "ca-central", "NodeBalancers")]
    [InlineData("US-East (Newark) Linode Kubernetes Engine", "us-east", "Linode Kubernetes Engine")]
    [InlineData("EU-Central (Frankfurt)  NodeBalancers", "eu-central", "NodeBalancers")]
    [InlineData("AP-Northeast-2 (Tokyo 2) NodeBalancers", "ap-northeast", "NodeBalancers")]
    [InlineData("US-Southeast (Atlanta)", "us-southeast", "Linodes")]
    [InlineData("Linode Manager and API", null, "Linode Manager and API")]
    public void Parse_LinodeComponentName_GivesRegionAndService(string name, string? region, string service)
    {
        var component = ProviderComponent.Parse(name);

        Assert.Equal(region, component.Region);
        Assert.Equal(service, component.Service);
    }

    [Fact]
    public void Parse_EveryRegionalComponentOnLinodesPage_MapsToAKnownRegionId()
    {
        var page = JsonNode.Parse(File.ReadAllText(ProbeResultJsonTests.FindShared("reference/statuspage/linode-components.json")))!;
        string[] known = ["us-east", "us-central", "us-west", "us-southeast", "ca-central", "eu-west", "eu-central", "ap-south", "ap-northeast", "ap-west", "ap-southeast"];

        var regions = page["components"]!.AsArray()
            .Select(c => ProviderComponent.Parse(c!["name"]!.GetValue<string>()).Region)
            .OfType<string>()
            .Distinct()
            .ToList();

        Assert.Equal(known.Order(), regions.Order());
    }

    [Fact]
    public async Task GetMaintenancesAsync_LabStatusPageWithMaintenanceInProgress_ReadsRegionsAndTimes()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 12, 13, 30, 0, TimeSpan.Zero));
        await using var server = new StatusPageServer(new StatusPageModel(time), time);
        await server.StartAsync(CancellationToken.None);
        var start = new DateTimeOffset(2026, 3, 12, 14, 0, 0, TimeSpan.Zero);
        var id = server.Model.AddMaintenance("NodeBalancer improvements", ["CA-Central (Toronto) NodeBalancers"], start, start.AddHours(4));
        using var http = new HttpClient();
        var client = new StatusPageClient(http, server.BaseAddress);

        var upcoming = Assert.Single(await client.GetMaintenancesAsync(CancellationToken.None));
        Assert.Equal("scheduled", upcoming.Status);
        Assert.True(upcoming.StartsWithin(time.GetUtcNow(), TimeSpan.FromHours(1)));
        Assert.False(upcoming.CoversTime(time.GetUtcNow()));

        server.Model.SetMaintenanceStatus(id, MaintenanceStatus.InProgress);
        var active = Assert.Single(await client.GetMaintenancesAsync(CancellationToken.None));

        Assert.Equal("NodeBalancer improvements", active.Name);
        Assert.Equal("in_progress", active.Status);
        Assert.Equal(["ca-central"], active.Regions);
        Assert.True(active.Touches("ca-central"));
        Assert.False(active.Touches("us-east"));
        Assert.Equal(start, active.ScheduledFor);
        Assert.True(active.CoversTime(start.AddMinutes(5)));
    }

    [Fact]
    public async Task GetMaintenancesAsync_MaintenanceCompletedEarly_StillListed_CoveringOnlyUntilItsCompletion()
    {
        var start = new DateTimeOffset(2026, 3, 12, 14, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(start);
        await using var server = new StatusPageServer(new StatusPageModel(time), time);
        await server.StartAsync(CancellationToken.None);
        var id = server.Model.AddMaintenance("NodeBalancer improvements", ["CA-Central (Toronto) NodeBalancers"], start, start.AddHours(4), MaintenanceStatus.InProgress);
        time.Advance(TimeSpan.FromMinutes(30));
        server.Model.SetMaintenanceStatus(id, MaintenanceStatus.Completed);
        using var http = new HttpClient();

        var completed = Assert.Single(await new StatusPageClient(http, server.BaseAddress).GetMaintenancesAsync(CancellationToken.None));

        Assert.Equal("completed", completed.Status);
        Assert.Equal(start.AddMinutes(30), completed.ResolvedAt);
        Assert.True(completed.CoversTime(start.AddMinutes(20)));
        Assert.False(completed.CoversTime(start.AddMinutes(31)));
        Assert.False(completed.CoversTime(start.AddMinutes(-1)));
    }

    [Fact]
    public async Task GetMaintenancesAsync_ScheduledAheadOfTime_KnowsWhenItWasAnnounced()
    {
        var announced = new DateTimeOffset(2026, 3, 9, 14, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(announced);
        await using var server = new StatusPageServer(new StatusPageModel(time), time);
        await server.StartAsync(CancellationToken.None);
        server.Model.AddMaintenance("NodeBalancer improvements", ["CA-Central (Toronto) NodeBalancers"], announced.AddDays(3), announced.AddDays(3).AddHours(4), MaintenanceStatus.Scheduled);
        time.Advance(TimeSpan.FromDays(3));
        using var http = new HttpClient();

        var scheduled = Assert.Single(await new StatusPageClient(http, server.BaseAddress).GetMaintenancesAsync(CancellationToken.None));

        // The uptime report exempts a maintenance announced at least 24 hours before it starts, as the SLA does.
        Assert.Equal(announced, scheduled.AnnouncedAt);
        Assert.Equal(announced.AddDays(3), scheduled.ScheduledFor);
    }

    [Theory]
    [InlineData("<html>502 Bad Gateway</html>")]
    [InlineData("""{"page":{}}""")]
    [InlineData("[]")]
    public void ReadMaintenances_NotAStatusPage_IsFormatErrorWithReason(string body)
    {
        var error = Assert.Throws<FormatException>(() => StatusPageReader.ReadMaintenances(body));

        Assert.StartsWith("not ", error.Message, StringComparison.Ordinal);
    }
}
