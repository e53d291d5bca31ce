using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Synthetics.Alerts;
using Synthetics.Core.Tests.Support;
using Synthetics.Detection;
using Synthetics.Lab.StatusPage;
using Synthetics.Maintenance;
using Synthetics.Pipeline;

namespace Synthetics.Core.Tests.Maintenance;

/// <summary>
/// The maintenance watcher as the pipeline runs it: the lab's status page over HTTP, claims on Azurite, three apps
/// racing on the same ticks.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "disposed through IAsyncLifetime")]
public sealed class MaintenanceCycleTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Start = new(2026, 3, 11, 15, 0, 40, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly string _incidentsTable = AzuriteFixture.UniqueTableName("Incidents");
    private readonly WarningRecorder _telemetry = new();
    private StatusPageServer? _statusPage;

    private StatusPageServer StatusPage => _statusPage!;

    public async Task InitializeAsync()
    {
        _statusPage = new StatusPageServer(new StatusPageModel(_time), _time);
        await _statusPage.StartAsync(None);
    }

    public async Task DisposeAsync() => await StatusPage.DisposeAsync();

    private ServiceProvider App(string vantage, string region)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Synthetics:VantagePoint"] = vantage,
            ["Synthetics:Storage:ConnectionString"] = azurite.ConnectionString,
            ["Synthetics:Storage:IncidentsTable"] = _incidentsTable,
            ["Synthetics:Maintenance:StatusPageUrl"] = StatusPage.BaseAddress.ToString(),
            ["Synthetics:Targets:0:Name"] = $"{region}-db",
            ["Synthetics:Targets:0:Kind"] = "Tcp",
            ["Synthetics:Targets:0:Region"] = region,
            ["Synthetics:Targets:0:Host"] = "127.0.0.1",
            ["Synthetics:Targets:0:Port"] = "9",
        };
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<ITelemetryPublisher>(_telemetry);
        services.AddSynthetics(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }

    private string Announce(TimeSpan startsIn, string component = "CA-Central (Toronto) NodeBalancers") =>
        StatusPage.Model.AddMaintenance("NodeBalancer improvements", [component], _time.GetUtcNow() + startsIn, _time.GetUtcNow() + startsIn + TimeSpan.FromHours(2));

    private static async Task<MaintenanceRun[]> RaceAsync(IEnumerable<ServiceProvider> apps) =>
        await Task.WhenAll(apps.Select(app => Task.Run(() => app.GetRequiredService<MaintenanceCycle>().RunOnceAsync(None))));

    [Fact]
    public async Task RunOnceAsync_CaCentralMaintenanceADayAheadThreeRacingVantages_OneWarningAtFirstSightOneShortlyBefore()
    {
        var apps = new[] { "eastus", "westeurope", "southeastasia" }.Select(v => App(v, "ca-central")).ToList();
        var id = Announce(TimeSpan.FromHours(23));

        var stages = new List<string>();
        // Every 15 minutes until it starts: three apps on each tick.
        for (var tick = 0; tick < 23 * 4; tick++)
        {
            foreach (var run in await RaceAsync(apps))
            {
                stages.AddRange(run.Sent.Select(w => w.Stage));
            }

            _time.Advance(TimeSpan.FromMinutes(15));
        }

        Assert.Equal([MaintenanceWarning.Ahead, MaintenanceWarning.Shortly], stages);
        Assert.Equal([MaintenanceWarning.Ahead, MaintenanceWarning.Shortly], _telemetry.Warnings.Select(w => w.Stage));
        var shortly = _telemetry.Warnings[1];
        Assert.Equal(id, shortly.Maintenance.Id);
        Assert.Equal(["ca-central"], shortly.Regions);
        Assert.Equal(["ca-central-db"], shortly.Targets);
        Assert.Contains("ca-central-db (disruption-new/tcp)", shortly.Watch, StringComparison.Ordinal);
        Assert.StartsWith("Maintenance starting soon: 'NodeBalancer improvements' (ca-central) from 2026-03-12T14:00Z", shortly.Summary, StringComparison.Ordinal);
        apps.ForEach(a => a.Dispose());
    }

    [Fact]
    public async Task RunOnceAsync_UsEastOnlyUser_NotWarnedOfACaCentralMaintenance()
    {
        using var app = App("eastus", "us-east");
        Announce(TimeSpan.FromMinutes(30));

        var run = await app.GetRequiredService<MaintenanceCycle>().RunOnceAsync(None);

        Assert.Equal(0, run.Upcoming);
        Assert.Empty(_telemetry.Warnings);
    }

    [Fact]
    public async Task RunOnceAsync_AnnouncedInsideTheShortLead_OneWarningOnly()
    {
        using var app = App("eastus", "ca-central");
        Announce(TimeSpan.FromMinutes(40));

        var first = await app.GetRequiredService<MaintenanceCycle>().RunOnceAsync(None);
        _time.Advance(TimeSpan.FromMinutes(15));
        var second = await app.GetRequiredService<MaintenanceCycle>().RunOnceAsync(None);

        Assert.Equal([MaintenanceWarning.Shortly], first.Sent.Select(w => w.Stage));
        Assert.Empty(second.Sent);
    }

    [Fact]
    public async Task RunOnceAsync_MoreThanADayAway_NotYet()
    {
        using var app = App("eastus", "ca-central");
        Announce(TimeSpan.FromHours(30));

        var run = await app.GetRequiredService<MaintenanceCycle>().RunOnceAsync(None);

        Assert.Empty(run.Sent);
    }
}
