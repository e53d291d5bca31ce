using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Synthetics.Alerts;
using Synthetics.Configuration;
using Synthetics.Core.Tests.Discovery;
using Synthetics.Core.Tests.Storage;
using Synthetics.Core.Tests.Support;
using Synthetics.Detection;
using Synthetics.Lab.LinodeApi;
using Synthetics.Lab.StatusPage;
using Synthetics.Maintenance;
using Synthetics.Results;
using Synthetics.Storage;

namespace Synthetics.Core.Tests.Detection;

/// <summary>
/// Whose side an incident is on, as the evaluator decides when it opens: the lab's Linode API (the account's events and
/// notifications) and the lab's status page over HTTP, results and incidents on Azurite.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "disposed through IAsyncLifetime")]
public sealed class IncidentAttributionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static readonly string[] Vantages = ["asia-east", "eu-west", "us-central"];
    private static readonly DateTimeOffset Onset = ResultFactory.Start;

    private readonly LinodeEstate _estate = new();
    private readonly FakeTimeProvider _time = new(Onset);
    private readonly RecordingLoggerProvider _logs = new();
    private readonly List<IncidentEvent> _published = [];
    private StatusPageServer? _statusPage;
    private ServiceProvider? _app;

    public async Task InitializeAsync()
    {
        await _estate.InitializeAsync();
        _statusPage = new StatusPageServer(new StatusPageModel(_time), _time);
        await _statusPage.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _app?.Dispose();
        await _statusPage!.DisposeAsync();
        await _estate.DisposeAsync();
    }

    /// <summary>Two incidents' worth of minutes: ca-central's two control planes failing from every vantage; opens at the second.</summary>
    private Task<IncidentEvent> OpenIncidentAsync(bool withToken = true) =>
        OpenIncidentAsync(_estate.ApiUrl, withToken ? LinodeEstate.Token : null, _statusPage!.BaseAddress, 1001);

    private async Task<IncidentEvent> OpenIncidentAsync(string apiUrl, string? token, Uri statusPage, long caProdClusterId)
    {
        var options = StorageTestData.Options(azurite.ConnectionString);
        var settings = new Dictionary<string, string?>
        {
            ["Synthetics:VantagePoint"] = "test-vantage",
            ["Synthetics:Storage:ConnectionString"] = azurite.ConnectionString,
            ["Synthetics:Storage:IncidentsTable"] = options.Storage.IncidentsTable,
            ["Synthetics:Storage:TargetCatalogTable"] = AzuriteFixture.UniqueTableName("Catalog"),
            ["Synthetics:Maintenance:StatusPageUrl"] = statusPage.ToString(),
            ["Synthetics:Linode:Token"] = token,
            ["Synthetics:Linode:ApiUrl"] = apiUrl,
        };
        string[][] targets = [["ca-prod-api", "ca-central", caProdClusterId.ToString(System.Globalization.CultureInfo.InvariantCulture)], ["ca-staging-api", "ca-central", "1003"], ["us-prod-api", "us-east", "1002"]];
        for (var i = 0; i < targets.Length; i++)
        {
            settings[$"Synthetics:Targets:{i}:Name"] = targets[i][0];
            settings[$"Synthetics:Targets:{i}:Kind"] = "Tcp";
            settings[$"Synthetics:Targets:{i}:Region"] = targets[i][1];
            settings[$"Synthetics:Targets:{i}:Host"] = "127.0.0.1";
            settings[$"Synthetics:Targets:{i}:Port"] = "9";
            settings[$"Synthetics:Targets:{i}:Labels:clusterId"] = targets[i][2];
        }

        var services = new ServiceCollection().AddLogging(b => b.AddProvider(_logs));
        services.AddSingleton<TimeProvider>(_time);
        services.AddSynthetics(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        _app = services.BuildServiceProvider();

        var results = StorageTestData.Store(options);
        var state = StorageTestData.IncidentStore(options);
        var evaluator = new Evaluator(
            results, state, new Recorder(_published), _app.GetRequiredService<IMaintenanceSource>(), Microsoft.Extensions.Options.Options.Create(options),
            _time, _app.GetRequiredService<ILogger<Evaluator>>());
        var events = new List<IncidentEvent>();
        for (var minute = 0; minute < 3 && events.Count == 0; minute++)
        {
            var at = Onset.AddMinutes(minute);
            foreach (var vantage in Vantages)
            {
                var written = ResultFactory.Window("ca-prod-api", "ca-central", vantage, at, failures: 6)
                    .Concat(ResultFactory.Window("ca-staging-api", "ca-central", vantage, at, failures: 6))
                    .Concat(ResultFactory.Window("us-prod-api", "us-east", vantage, at)).ToList();
                await results.WriteCycleAsync(new CycleRecord(vantage, at, written.Max(r => r.Timestamp) - at, written.Count, written.Count(r => !r.Success)), written, CancellationToken.None);
            }

            _time.SetUtcNow(at.AddMinutes(1));
            events.AddRange((await evaluator.EvaluateAsync(CancellationToken.None)).Events);
        }

        return Assert.Single(events, e => e.Kind == IncidentEventKind.Opened);
    }

    [Fact]
    public async Task EvaluateAsync_ClusterUpdatedJustBeforeTheFailures_AttributedToTheCustomerNamingTheUpdate()
    {
        _estate.Model.AddEvent(new AccountEvent { Action = "lke_cluster_update", Created = Onset.AddMinutes(-2), EntityType = "lkecluster", EntityId = 1001, EntityLabel = "ca-prod", Username = "ops" });
        // Not the incident's: another cluster's update, an action that changes nothing served, and an update long before.
        _estate.Model.AddEvent(new AccountEvent { Action = "lke_cluster_update", Created = Onset.AddMinutes(-1), EntityType = "lkecluster", EntityId = 1002, EntityLabel = "us-dev" });
        _estate.Model.AddEvent(new AccountEvent { Action = "linode_boot", Created = Onset.AddMinutes(-1), EntityType = "linode", EntityId = 77 });
        _estate.Model.AddEvent(new AccountEvent { Action = "lke_cluster_recycle", Created = Onset.AddHours(-5), EntityType = "lkecluster", EntityId = 1001, EntityLabel = "ca-prod" });

        var opened = await OpenIncidentAsync();

        Assert.Equal(IncidentAttribution.Customer, opened.Incident.Attribution);
        Assert.Equal(["lke_cluster_update on LKE cluster ca-prod (1001) at 2026-03-12T13:58Z by ops"], opened.Incident.CustomerChanges);
        Assert.Null(opened.Incident.ProviderMaintenance);
        var body = IncidentNotice.Body(opened);
        Assert.Contains("Customer:  your own change overlaps it: lke_cluster_update on LKE cluster ca-prod (1001)", body, StringComparison.Ordinal);
        Assert.Contains("Cause:     customer (likely)", body, StringComparison.Ordinal);
        Assert.StartsWith("check your own change", IncidentNotice.NextStep(opened.Incident), StringComparison.Ordinal);
        Assert.Contains(_logs.Lines, l => l.EventId == 200 && l.Message.Contains("; likely customer-side: lke_cluster_update on LKE cluster ca-prod (1001)", StringComparison.Ordinal));
        Assert.Contains("\"attribution\":\"customer\"", IncidentEventJson.Serialize(opened), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateAsync_LabCustomerChangeScenario_AttributedToTheCustomerNamingTheClusterUpdate()
    {
        // The lab's clock two minutes before the failures: its scenario records the cluster update then.
        var labTime = new FakeTimeProvider(Onset.AddMinutes(-2).AddSeconds(-1));
        await using var region = await Synthetics.Lab.Region.LabRegion.StartAsync(new Synthetics.Lab.Region.LabRegionOptions
        {
            TimeProvider = labTime,
            Scenario = Synthetics.Lab.Scenarios.LabScenarios.CustomerChange,
            ScenarioOptions = new Synthetics.Lab.Scenarios.LabScenarioOptions { Onset = TimeSpan.FromSeconds(1) },
        });
        labTime.Advance(TimeSpan.FromSeconds(1));
        for (var wait = 0; region.LinodeApi.Model.Events.Count == 0 && wait < 600; wait++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }

        var cluster = region.GetCluster(Synthetics.Lab.Region.LabRegion.CaCentral);
        var opened = await OpenIncidentAsync(
            new Uri(region.LinodeApi.BaseAddress, "v4/").ToString(), region.LinodeApiToken, region.StatusPage.BaseAddress, cluster.Id);

        Assert.Equal(IncidentAttribution.Customer, opened.Incident.Attribution);
        var change = Assert.Single(opened.Incident.CustomerChanges);
        Assert.StartsWith($"lke_cluster_update on LKE cluster {cluster.Label} ({cluster.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}) at 2026-03-12T13:58Z", change, StringComparison.Ordinal);
        Assert.Null(opened.Incident.ProviderMaintenance);
        Assert.DoesNotContain(_logs.Lines, l => l.Message.Contains(region.LinodeApiToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EvaluateAsync_March12MaintenanceInProgress_AttributedToTheProvider()
    {
        var id = _statusPage!.Model.AddMaintenance("NodeBalancer improvements", ["CA-Central (Toronto) NodeBalancers"], Onset.AddMinutes(-5), Onset.AddMinutes(55));
        _statusPage.Model.SetMaintenanceStatus(id, MaintenanceStatus.InProgress);

        var opened = await OpenIncidentAsync();

        Assert.Equal(IncidentAttribution.Provider, opened.Incident.Attribution);
        Assert.Empty(opened.Incident.CustomerChanges);
        Assert.StartsWith("NodeBalancer improvements (in_progress) on CA-Central (Toronto) NodeBalancers", opened.Incident.ProviderMaintenance, StringComparison.Ordinal);
        Assert.Contains("Cause:     provider", IncidentNotice.Body(opened), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateAsync_AccountMaintenanceNoticeOnTheRegion_AttributedToTheProviderNamingTheNotice()
    {
        _estate.Model.AddNotification(new AccountNotification
        {
            Type = "maintenance", Label = "Network maintenance in Toronto", When = Onset.AddMinutes(-10), Until = Onset.AddHours(1),
            EntityType = "region", EntityId = "ca-central",
        });

        var opened = await OpenIncidentAsync();

        Assert.Equal(IncidentAttribution.Provider, opened.Incident.Attribution);
        Assert.Equal("Network maintenance in Toronto (maintenance) on region ca-central, an account notice", opened.Incident.ProviderMaintenance);
    }

    [Fact]
    public async Task EvaluateAsync_NothingOverlaps_Unknown()
    {
        var opened = await OpenIncidentAsync();

        Assert.Equal(IncidentAttribution.Unknown, opened.Incident.Attribution);
        Assert.Empty(opened.Incident.CustomerChanges);
    }

    [Fact]
    public async Task EvaluateAsync_AccountApiFailing_IncidentStillOpensWithTheStatusPageAttribution()
    {
        _estate.Server.Fault = LinodeApiFault.ServerError;
        var id = _statusPage!.Model.AddMaintenance("NodeBalancer improvements", ["CA-Central (Toronto) NodeBalancers"], Onset.AddMinutes(-5), Onset.AddMinutes(55));
        _statusPage.Model.SetMaintenanceStatus(id, MaintenanceStatus.InProgress);

        var opened = await OpenIncidentAsync();

        Assert.Equal(IncidentAttribution.Provider, opened.Incident.Attribution);
        Assert.Contains(_logs.Lines, l => l.EventId == 5052 && l.Message.Contains("answered 500", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, l => l.Message.Contains(LinodeEstate.Token, StringComparison.Ordinal));
    }

    private sealed class Recorder(List<IncidentEvent> published) : ITelemetryPublisher
    {
        public bool IsEnabled => true;

        public void PublishResults(IEnumerable<ProbeResult> results)
        {
        }

        public void PublishIncident(IncidentEvent incidentEvent)
        {
            lock (published)
            {
                published.Add(incidentEvent);
            }
        }

        public Task<bool> FlushAsync(CancellationToken cancellationToken) => Task.FromResult(true);
    }
}
