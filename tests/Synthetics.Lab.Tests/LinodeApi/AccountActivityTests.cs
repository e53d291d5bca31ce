using System.Net;
using System.Text.Json;
using Synthetics.Lab.LinodeApi;

namespace Synthetics.Lab.Tests.LinodeApi;

/// <summary>The lab's <c>/account/notifications</c> and <c>/account/events</c>: shapes, paging and the events' X-Filter.</summary>
public sealed class AccountActivityTests : LinodeApiTestBase
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 12, 12, 0, 0, TimeSpan.Zero);

    private async Task<JsonDocument> GetAsync(string url, string? filter = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative));
        if (filter is not null)
        {
            request.Headers.Add("X-Filter", filter);
        }

        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }

    private void AddEvents()
    {
        // The sample's own activity is for the schema tests.
        Server.Model.ClearAccountActivity();
        for (var i = 0; i < 30; i++)
        {
            Server.Model.AddEvent(new AccountEvent { Action = "lke_cluster_update", Created = Noon.AddMinutes(i), EntityType = "lkecluster", EntityId = 1001, EntityLabel = "ca-prod" });
        }

        for (var i = 0; i < 40; i++)
        {
            Server.Model.AddEvent(new AccountEvent { Action = "linode_boot", Created = Noon.AddMinutes(i), EntityType = "linode", EntityId = 77 });
        }

        Server.Model.AddEvent(new AccountEvent { Action = "nodebalancer_config_update", Created = Noon.AddHours(-3), EntityType = "nodebalancer", EntityId = 7001, EntityLabel = "ca-web" });
    }

    [Fact]
    public async Task GetEvents_FilterOnCreatedAndActions_ServesOnlyTheMatchesPagedNewestFirst()
    {
        AddEvents();
        const string Filter = """{"+and":[{"created":{"+gte":"2026-03-12T12:10:00"}},{"+or":[{"action":"lke_cluster_update"},{"action":"nodebalancer_config_update"}]}],"+order_by":"created","+order":"desc"}""";

        using var first = await GetAsync("v4/account/events?page=1&page_size=25", Filter);
        using var second = await GetAsync("v4/account/events?page=2&page_size=25", Filter);

        Assert.Equal(20, first.RootElement.GetProperty("results").GetInt32());
        Assert.Equal(1, first.RootElement.GetProperty("pages").GetInt32());
        var data = first.RootElement.GetProperty("data").EnumerateArray().ToList();
        Assert.All(data, e => Assert.Equal("lke_cluster_update", e.GetProperty("action").GetString()));
        Assert.Equal("2026-03-12T12:29:00", data[0].GetProperty("created").GetString());
        Assert.Equal("2026-03-12T12:10:00", data[^1].GetProperty("created").GetString());
        Assert.Equal("lkecluster", data[0].GetProperty("entity").GetProperty("type").GetString());
        Assert.Equal(1001, data[0].GetProperty("entity").GetProperty("id").GetInt64());
        Assert.Empty(second.RootElement.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task GetEvents_FilterOnEntity_ServesThatEntitysEvents()
    {
        AddEvents();

        using var body = await GetAsync("v4/account/events?page_size=100", """{"entity.type":"nodebalancer","entity.id":7001}""");

        var only = Assert.Single(body.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal("nodebalancer_config_update", only.GetProperty("action").GetString());
    }

    [Fact]
    public async Task GetEvents_NoFilter_EveryEventInPages()
    {
        AddEvents();

        using var body = await GetAsync("v4/account/events?page=3&page_size=25");

        Assert.Equal(71, body.RootElement.GetProperty("results").GetInt32());
        Assert.Equal(3, body.RootElement.GetProperty("pages").GetInt32());
        Assert.Equal(21, body.RootElement.GetProperty("data").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"status":"finished"}""", "status")]
    [InlineData("""{"created":{"+near":"2026-03-12T12:00:00"}}""", "created")]
    [InlineData("""{"+order_by":"label"}""", "+order_by")]
    public async Task GetEvents_FilterOnWhatTheApiDoesNotFilter_Refused400NamingTheField(string filter, string field)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("v4/account/events", UriKind.Relative));
        request.Headers.Add("X-Filter", filter);

        using var response = await Http.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, body.RootElement.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task GetNotifications_RegionAndNodeBalancerNotices_ServedAsTheSpecShapesThem()
    {
        Server.Model.ClearAccountActivity();
        Server.Model.AddNotification(new AccountNotification
        {
            Type = "maintenance", Label = "Scheduled NodeBalancer maintenance", When = Noon, Until = Noon.AddHours(2),
            EntityType = "nodebalancer", EntityId = "7001", EntityLabel = "ca-web",
        });
        Server.Model.AddNotification(new AccountNotification { Type = "outage", Label = "Connectivity issue", EntityType = "region", EntityId = "ca-central" });

        using var body = await GetAsync("v4/account/notifications");

        var data = body.RootElement.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, data.Count);
        Assert.Equal("2026-03-12T12:00:00", data[0].GetProperty("when").GetString());
        Assert.Equal("2026-03-12T14:00:00", data[0].GetProperty("until").GetString());
        Assert.Equal(7001, data[0].GetProperty("entity").GetProperty("id").GetInt64());
        Assert.Equal("/v4/nodebalancers/7001", data[0].GetProperty("entity").GetProperty("url").GetString());
        Assert.Equal("ca-central", data[1].GetProperty("entity").GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, data[1].GetProperty("when").ValueKind);
    }
}
