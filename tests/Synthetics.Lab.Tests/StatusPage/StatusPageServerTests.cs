using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Synthetics.Lab.StatusPage;

namespace Synthetics.Lab.Tests.StatusPage;

[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes through IAsyncLifetime.")]
public sealed class StatusPageServerTests : IAsyncLifetime
{
    private const string TorontoNodeBalancers = "CA-Central (Toronto) NodeBalancers";
    private const string TorontoLke = "CA-Central (Toronto) Linode Kubernetes Engine";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 12, 6, 0, 0, TimeSpan.Zero));
    private readonly StatusPageServer _server;
    private readonly HttpClient _http = new();

    public StatusPageServerTests()
    {
        _server = new StatusPageServer(timeProvider: _time);
    }

    public async Task InitializeAsync()
    {
        await _server.StartAsync(CancellationToken.None);
        _http.BaseAddress = _server.BaseAddress;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData(StatusPageFault.ServerError, 500)]
    [InlineData(StatusPageFault.RateLimited, 429)]
    public async Task Get_ErrorFault_AnswersTheStatus(StatusPageFault fault, int status)
    {
        _server.Fault = fault;

        using var response = await _http.GetAsync(new Uri("api/v2/scheduled-maintenances/upcoming.json", UriKind.Relative));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(fault == StatusPageFault.RateLimited ? TimeSpan.FromSeconds(60) : null, response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Get_TruncatedJsonFault_Answers200ThatDoesNotParse()
    {
        _server.Fault = StatusPageFault.TruncatedJson;

        using var response = await _http.GetAsync(new Uri("api/v2/scheduled-maintenances/upcoming.json", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public async Task Get_SlowAnswerFault_ClientGivingUpFirstGetsNothingAndTheFaultClearedAnswersAgain()
    {
        _server.Fault = StatusPageFault.SlowAnswer;
        using var patient = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _http.GetAsync(new Uri("api/v2/scheduled-maintenances/upcoming.json", UriKind.Relative), patient.Token));
        _server.Fault = StatusPageFault.None;
        using var response = await _http.GetAsync(new Uri("api/v2/scheduled-maintenances/upcoming.json", UriKind.Relative));
        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task ComponentsJson_Default_SameKeysAndNamesAsLinodeReference()
    {
        using var reference = LoadReference("linode-components.json");
        using var served = await GetAsync("api/v2/components.json");

        AssertSameKeys(reference.RootElement, served.RootElement, "$");
        AssertSameKeys(reference.RootElement.GetProperty("page"), served.RootElement.GetProperty("page"), "$.page");
        var referenceComponents = reference.RootElement.GetProperty("components").EnumerateArray().ToArray();
        var servedComponents = served.RootElement.GetProperty("components").EnumerateArray().ToArray();
        AssertSameKeys(referenceComponents.First(c => !c.GetProperty("group").GetBoolean()), servedComponents.First(c => !c.GetProperty("group").GetBoolean()), "$.components[leaf]");
        AssertSameKeys(referenceComponents.First(c => c.GetProperty("group").GetBoolean()), servedComponents.First(c => c.GetProperty("group").GetBoolean()), "$.components[group]");
        Assert.Equal(Names(referenceComponents), Names(servedComponents));
        Assert.All(servedComponents, c => Assert.Equal("operational", c.GetProperty("status").GetString()));
        Assert.Equal("8dn0wstr1chc", served.RootElement.GetProperty("page").GetProperty("id").GetString());
    }

    [Fact]
    public async Task SummaryJson_WithIncident_SameKeysAsReferenceSummary()
    {
        _server.Model.AddIncident(
            "Connectivity issue in Toronto",
            IncidentImpact.Minor,
            new Dictionary<string, ComponentStatus> { [TorontoLke] = ComponentStatus.DegradedPerformance });

        using var reference = LoadReference("summary-example-other-vendor.json");
        using var served = await GetAsync("api/v2/summary.json");

        var (r, s) = (reference.RootElement, served.RootElement);
        AssertSameKeys(r, s, "$");
        AssertSameKeys(r.GetProperty("status"), s.GetProperty("status"), "$.status");
        var (referenceIncident, servedIncident) = (r.GetProperty("incidents")[0], s.GetProperty("incidents")[0]);
        AssertSameKeys(referenceIncident, servedIncident, "$.incidents[]");
        var (referenceUpdate, servedUpdate) = (referenceIncident.GetProperty("incident_updates")[0], servedIncident.GetProperty("incident_updates")[0]);
        AssertSameKeys(referenceUpdate, servedUpdate, "$.incidents[].incident_updates[]");
        AssertSameKeys(referenceUpdate.GetProperty("affected_components")[0], servedUpdate.GetProperty("affected_components")[0], "$..affected_components[]");
        AssertSameKeys(referenceIncident.GetProperty("components")[0], servedIncident.GetProperty("components")[0], "$.incidents[].components[]");
        Assert.Equal("degraded_performance", servedIncident.GetProperty("components")[0].GetProperty("status").GetString());
        Assert.Equal("minor", s.GetProperty("status").GetProperty("indicator").GetString());
        Assert.StartsWith("https://stspg.io/", servedIncident.GetProperty("shortlink").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetMaintenanceStatus_InProgress_ShowsInActiveAndSummaryWithComponentUnderMaintenance()
    {
        var start = _time.GetUtcNow().AddHours(2);
        var id = _server.Model.AddMaintenance(
            "Scheduled Network Maintenance - Toronto", [TorontoNodeBalancers], start, start.AddHours(4));

        using (var upcoming = await GetAsync("api/v2/scheduled-maintenances/upcoming.json"))
        using (var activeBefore = await GetAsync("api/v2/scheduled-maintenances/active.json"))
        {
            var scheduled = Assert.Single(upcoming.RootElement.GetProperty("scheduled_maintenances").EnumerateArray());
            Assert.Equal("scheduled", scheduled.GetProperty("status").GetString());
            Assert.Equal("2026-03-12T08:00:00.000Z", scheduled.GetProperty("scheduled_for").GetString());
            Assert.Equal("2026-03-12T12:00:00.000Z", scheduled.GetProperty("scheduled_until").GetString());
            Assert.Empty(activeBefore.RootElement.GetProperty("scheduled_maintenances").EnumerateArray());
        }

        _time.Advance(TimeSpan.FromHours(2));
        _server.Model.SetMaintenanceStatus(id, MaintenanceStatus.InProgress);

        using var active = await GetAsync("api/v2/scheduled-maintenances/active.json");
        using var summary = await GetAsync("api/v2/summary.json");
        using var upcomingAfter = await GetAsync("api/v2/scheduled-maintenances/upcoming.json");
        var maintenance = Assert.Single(active.RootElement.GetProperty("scheduled_maintenances").EnumerateArray());
        Assert.Equal(id, maintenance.GetProperty("id").GetString());
        using (var reference = LoadReference("summary-example-other-vendor.json"))
        {
            // Statuspage shapes a maintenance as an incident with its schedule appended.
            var incidentKeys = reference.RootElement.GetProperty("incidents")[0].EnumerateObject().Select(p => p.Name);
            Assert.Equal(incidentKeys.Concat(["scheduled_for", "scheduled_until"]), maintenance.EnumerateObject().Select(p => p.Name));
        }


        Assert.Equal("in_progress", maintenance.GetProperty("status").GetString());
        Assert.Equal("maintenance", maintenance.GetProperty("impact").GetString());
        var affected = Assert.Single(maintenance.GetProperty("components").EnumerateArray());
        Assert.Equal(TorontoNodeBalancers, affected.GetProperty("name").GetString());
        Assert.Equal("under_maintenance", affected.GetProperty("status").GetString());
        var latest = maintenance.GetProperty("incident_updates")[0];
        Assert.Equal("in_progress", latest.GetProperty("status").GetString());
        Assert.Equal("operational", latest.GetProperty("affected_components")[0].GetProperty("old_status").GetString());
        Assert.Equal("under_maintenance", latest.GetProperty("affected_components")[0].GetProperty("new_status").GetString());
        Assert.Equal("2026-03-12T08:00:00.000Z", latest.GetProperty("created_at").GetString());

        Assert.Equal(id, Assert.Single(summary.RootElement.GetProperty("scheduled_maintenances").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal("under_maintenance", StatusOf(summary, TorontoNodeBalancers));
        Assert.Equal("under_maintenance", StatusOf(summary, "NodeBalancers"));
        Assert.Equal("operational", StatusOf(summary, TorontoLke));
        Assert.Equal("maintenance", summary.RootElement.GetProperty("status").GetProperty("indicator").GetString());
        Assert.Empty(upcomingAfter.RootElement.GetProperty("scheduled_maintenances").EnumerateArray());
    }

    [Fact]
    public async Task SetMaintenanceStatus_Completed_LeavesActiveAndRestoresOperational()
    {
        var now = _time.GetUtcNow();
        var id = _server.Model.AddMaintenance("Toronto LKE upgrade", [TorontoLke], now, now.AddHours(1), MaintenanceStatus.InProgress);

        _server.Model.SetMaintenanceStatus(id, MaintenanceStatus.Completed);

        using var active = await GetAsync("api/v2/scheduled-maintenances/active.json");
        using var summary = await GetAsync("api/v2/summary.json");
        Assert.Empty(active.RootElement.GetProperty("scheduled_maintenances").EnumerateArray());
        Assert.Empty(summary.RootElement.GetProperty("scheduled_maintenances").EnumerateArray());
        Assert.Equal("operational", StatusOf(summary, TorontoLke));
        Assert.Equal("none", summary.RootElement.GetProperty("status").GetProperty("indicator").GetString());
    }

    [Fact]
    public async Task RecentMaintenances_ListEveryStatus_CompletedOnesWithTheirCompletionTime()
    {
        var now = _time.GetUtcNow();
        var done = _server.Model.AddMaintenance("Toronto LKE upgrade", [TorontoLke], now, now.AddHours(4), MaintenanceStatus.InProgress);
        var later = _server.Model.AddMaintenance("Scheduled Network Maintenance - Toronto", [TorontoNodeBalancers], now.AddDays(1), now.AddDays(1).AddHours(2));
        _time.Advance(TimeSpan.FromMinutes(30));

        _server.Model.SetMaintenanceStatus(done, MaintenanceStatus.Completed);

        using var recent = await GetAsync("api/v2/scheduled-maintenances.json");
        var listed = recent.RootElement.GetProperty("scheduled_maintenances").EnumerateArray().ToList();
        Assert.Equal([later, done], listed.Select(m => m.GetProperty("id").GetString()));
        Assert.Equal("scheduled", listed[0].GetProperty("status").GetString());
        Assert.Equal("completed", listed[1].GetProperty("status").GetString());
        Assert.Equal(_time.GetUtcNow(), listed[1].GetProperty("resolved_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task AddIncident_Resolved_LeavesUnresolvedAndComponentOperational()
    {
        var id = _server.Model.AddIncident(
            "Toronto NodeBalancers unreachable", IncidentImpact.Major,
            new Dictionary<string, ComponentStatus> { [TorontoNodeBalancers] = ComponentStatus.MajorOutage });

        using (var unresolved = await GetAsync("api/v2/incidents/unresolved.json"))
        using (var summary = await GetAsync("api/v2/summary.json"))
        {
            Assert.Equal(id, Assert.Single(unresolved.RootElement.GetProperty("incidents").EnumerateArray()).GetProperty("id").GetString());
            Assert.Equal("major_outage", StatusOf(summary, TorontoNodeBalancers));
            Assert.Equal("major", summary.RootElement.GetProperty("status").GetProperty("indicator").GetString());
        }

        _server.Model.SetIncidentStatus(id, IncidentStatus.Resolved);

        using var after = await GetAsync("api/v2/incidents/unresolved.json");
        using var components = await GetAsync("api/v2/components.json");
        Assert.Empty(after.RootElement.GetProperty("incidents").EnumerateArray());
        Assert.Equal("operational", StatusOf(components, TorontoNodeBalancers));
    }

    [Fact]
    public async Task SetComponentStatus_PartialOutage_GroupShowsWorstChild()
    {
        // Linode's own data spells this one with two spaces; a single space finds it too.
        _server.Model.SetComponentStatus("EU-Central (Frankfurt) NodeBalancers", ComponentStatus.PartialOutage);

        using var components = await GetAsync("api/v2/components.json");

        Assert.Equal("partial_outage", StatusOf(components, "EU-Central (Frankfurt)  NodeBalancers"));
        Assert.Equal("partial_outage", StatusOf(components, "NodeBalancers"));
        Assert.Equal(ComponentStatus.Operational, _server.Model.GetComponentStatus(TorontoNodeBalancers));
    }

    [Fact]
    public async Task SetComponentStatus_ReplayOf2021Outage_EveryComponentAsInTheCapture()
    {
        using var capture = LoadReference("linode-components-problems-2021-12-17.json");
        var captured = capture.RootElement.GetProperty("components").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        foreach (var (name, status) in captured)
        {
            if (status == "partial_outage" && name != "Regions")
            {
                _server.Model.SetComponentStatus(name, ComponentStatus.PartialOutage);
            }
        }

        using var served = await GetAsync("api/v2/components.json");

        // Only the leaves were set: the "Regions" group must follow them on its own, as on the real page.
        Assert.All(captured, pair => Assert.Equal(pair.Value, StatusOf(served, pair.Key)));
    }

    private async Task<JsonDocument> GetAsync(string path)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static string? StatusOf(JsonDocument page, string componentName) =>
        page.RootElement.GetProperty("components").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == componentName)
            .GetProperty("status").GetString();

    private static string[] Names(IEnumerable<JsonElement> components) =>
        components.Select(c => c.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToArray();

    private static void AssertSameKeys(JsonElement expected, JsonElement actual, string path)
    {
        var expectedKeys = expected.EnumerateObject().Select(p => p.Name).ToArray();
        var actualKeys = actual.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.True(expectedKeys.SequenceEqual(actualKeys), $"{path}: expected keys [{string.Join(", ", expectedKeys)}], served [{string.Join(", ", actualKeys)}]");
    }

    private static JsonDocument LoadReference(string name) =>
        JsonDocument.Parse(File.ReadAllText(SharedReference.PathOf("statuspage", name)));
}
