using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Synthetics.Alerts;
using Synthetics.Core.Tests.Discovery;
using Synthetics.Core.Tests.Support;
using Synthetics.Detection;
using Synthetics.Lab.LinodeApi;
using Synthetics.Lab.StatusPage;
using Synthetics.Maintenance;
using Synthetics.Pipeline;

namespace Synthetics.Core.Tests.Maintenance;

/// <summary>
/// The maintenance watcher with a Linode token: the lab's status page and the lab's Linode API (the account's
/// notifications) over HTTP, claims on Azurite, apps racing on the same ticks on one fake clock.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "disposed through IAsyncLifetime")]
public sealed class AccountNoticeWarningTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const string Token = "lab-account-token-5f0c2e9a7b1d4c36";
    private const long CaWebNodeBalancer = 880101;
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Start = new(2026, 3, 11, 15, 0, 40, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly string _incidentsTable = AzuriteFixture.UniqueTableName("Incidents");
    private readonly WarningRecorder _telemetry = new();
    private readonly RecordingLoggerProvider _logs = new();
    private readonly List<ServiceProvider> _apps = [];
    private StatusPageServer? _statusPage;
    private LinodeApiServer? _linodeApi;

    private StatusPageServer StatusPage => _statusPage!;

    private LinodeApiServer LinodeApi => _linodeApi!;

    public async Task InitializeAsync()
    {
        _statusPage = new StatusPageServer(new StatusPageModel(_time), _time);
        await _statusPage.StartAsync(None);
        _linodeApi = new LinodeApiServer(new LinodeApiModel(), Token);
        await _linodeApi.StartAsync(None);
    }

    public async Task DisposeAsync()
    {
        _apps.ForEach(a => a.Dispose());
        await StatusPage.DisposeAsync();
        await LinodeApi.DisposeAsync();
    }

    /// <summary>An app whose one target sits in <paramref name="region"/>; the ca-central one is behind the ca-web NodeBalancer.</summary>
    private ServiceProvider App(string vantage, string region, Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Synthetics:VantagePoint"] = vantage,
            ["Synthetics:Storage:ConnectionString"] = azurite.ConnectionString,
            ["Synthetics:Storage:IncidentsTable"] = _incidentsTable,
            ["Synthetics:Storage:TargetCatalogTable"] = AzuriteFixture.UniqueTableName("Catalog"),
            ["Synthetics:Maintenance:StatusPageUrl"] = StatusPage.BaseAddress.ToString(),
            // Real seconds, on a loaded machine several apps read at once: only the slow-answer case tests the bound.
            ["Synthetics:Maintenance:TimeoutSeconds"] = "60",
            ["Synthetics:Linode:Token"] = Token,
            ["Synthetics:Linode:ApiUrl"] = new Uri(LinodeApi.BaseAddress, "v4/").ToString(),
            ["Synthetics:Targets:0:Name"] = region == "ca-central" ? "ca-web-443" : $"{region}-db",
            ["Synthetics:Targets:0:Kind"] = "Tcp",
            ["Synthetics:Targets:0:Region"] = region,
            ["Synthetics:Targets:0:Host"] = "127.0.0.1",
            ["Synthetics:Targets:0:Port"] = "9",
        };
        if (region == "ca-central")
        {
            settings["Synthetics:Targets:0:Labels:nodeBalancerId"] = CaWebNodeBalancer.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Synthetics:Targets:0:Labels:nodeBalancer"] = "ca-web";
        }

        configure?.Invoke(settings);
        var services = new ServiceCollection().AddLogging(b => b.AddProvider(_logs));
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<ITelemetryPublisher>(_telemetry);
        services.AddSynthetics(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        var app = services.BuildServiceProvider();
        _apps.Add(app);
        return app;
    }

    /// <summary>The status page's maintenance on CA-Central NodeBalancers and the account's notice on ca-web, both for the same window.</summary>
    private (string StatusPageId, string NoticeId) Announce(TimeSpan startsIn)
    {
        var from = _time.GetUtcNow() + startsIn;
        var until = from + TimeSpan.FromHours(2);
        var id = StatusPage.Model.AddMaintenance("NodeBalancer improvements", ["CA-Central (Toronto) NodeBalancers"], from, until);
        LinodeApi.Model.AddNotification(new AccountNotification
        {
            Type = "maintenance", Label = "Scheduled NodeBalancer maintenance", When = from, Until = until,
            EntityType = "nodebalancer", EntityId = "880101", EntityLabel = "ca-web",
        });
        var notice = new AccountNotice { Type = "maintenance", Label = "x", When = from, EntityType = "nodebalancer", EntityId = "880101" };
        return (id, notice.Id);
    }

    private static async Task<MaintenanceRun[]> RaceAsync(IEnumerable<ServiceProvider> apps) =>
        await Task.WhenAll(apps.Select(app => Task.Run(() => app.GetRequiredService<MaintenanceCycle>().RunOnceAsync(None))));

    [Fact]
    public async Task RunOnceAsync_CaCentralNoticeADayAheadThreeRacingVantages_OneWarningAtFirstSightOneShortlyBeforePerSource()
    {
        var apps = new[] { "eastus", "westeurope", "southeastasia" }.Select(v => App(v, "ca-central")).ToList();
        var usEastOnly = App("centralus", "us-east");
        var (statusPageId, noticeId) = Announce(TimeSpan.FromHours(23));

        var sent = new List<MaintenanceWarning>();
        for (var tick = 0; tick < 23 * 4; tick++)
        {
            sent.AddRange((await RaceAsync(apps)).SelectMany(r => r.Sent));
            Assert.Empty((await usEastOnly.GetRequiredService<MaintenanceCycle>().RunOnceAsync(None)).Sent);
            _time.Advance(TimeSpan.FromMinutes(15));
        }

        Assert.Equal([MaintenanceWarning.Ahead, MaintenanceWarning.Shortly], sent.Where(w => w.Maintenance.Id == statusPageId).Select(w => w.Stage));
        Assert.Equal([MaintenanceWarning.Ahead, MaintenanceWarning.Shortly], sent.Where(w => w.Maintenance.Id == noticeId).Select(w => w.Stage));
        Assert.Equal(4, _telemetry.Warnings.Count);
        var notice = sent.Last(w => w.Maintenance.Id == noticeId);
        Assert.Equal(MaintenanceWarning.AccountNotice, notice.Source);
        Assert.Equal("maintenance on NodeBalancer ca-web (880101)", notice.Notice);
        Assert.Equal(["ca-central"], notice.Regions);
        Assert.Equal(["ca-web-443"], notice.Targets);
        Assert.StartsWith(
            "Maintenance starting soon: 'Scheduled NodeBalancer maintenance (maintenance on NodeBalancer ca-web (880101))' (ca-central) from 2026-03-12T14:00Z to 2026-03-12T16:00Z",
            notice.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnceAsync_NoticeOnAnotherNodeBalancer_NotWarned()
    {
        var app = App("eastus", "ca-central");
        LinodeApi.Model.AddNotification(new AccountNotification
        {
            Type = "maintenance", Label = "Scheduled NodeBalancer maintenance", When = _time.GetUtcNow().AddHours(3),
            EntityType = "nodebalancer", EntityId = "990000", EntityLabel = "someone-else",
        });

        var run = await app.GetRequiredService<MaintenanceCycle>().RunOnceAsync(None);

        Assert.Empty(run.Sent);
    }

    [Fact]
    public async Task RunOnceAsync_OutageOnTheRegionWithoutDates_WarnedOnceAsInEffect()
    {
        var app = App("eastus", "ca-central");
        LinodeApi.Model.AddNotification(new AccountNotification { Type = "outage", Label = "Connectivity issue in Toronto", EntityType = "region", EntityId = "ca-central" });

        var first = await app.GetRequiredService<MaintenanceCycle>().RunOnceAsync(None);
        _time.Advance(TimeSpan.FromMinutes(15));
        var second = await app.GetRequiredService<MaintenanceCycle>().RunOnceAsync(None);

        var warning = Assert.Single(first.Sent);
        Assert.Equal(MaintenanceWarning.Shortly, warning.Stage);
        Assert.StartsWith("Maintenance starting soon: 'Connectivity issue in Toronto (outage on region ca-central)' (ca-central) from now", warning.Summary, StringComparison.Ordinal);
        Assert.Empty(second.Sent);
    }

    [Fact]
    public async Task RunOnceAsync_WithoutToken_OnlyTheStatusPageIsRead()
    {
        var app = App("eastus", "ca-central", s => s["Synthetics:Linode:Token"] = null);
        Announce(TimeSpan.FromMinutes(30));
        var before = LinodeApi.RequestCount;

        var run = await app.GetRequiredService<MaintenanceCycle>().RunOnceAsync(None);

        Assert.Equal([MaintenanceWarning.StatusPage], run.Sent.Select(w => w.Source));
        Assert.Equal(before, LinodeApi.RequestCount);
        Assert.Null(run.AccountFailure);
    }

    public static TheoryData<string> LinodeApiFaults => ["500", "429", "slow", "truncated"];

    [Theory]
    [MemberData(nameof(LinodeApiFaults))]
    public async Task RunOnceAsync_AccountApiAnswersBadly_StatusPageWarningStillSentAndTheFailureNamedWithoutTheToken(string fault)
    {
        var app = App("eastus", "ca-central", s => s["Synthetics:Linode:RequestTimeoutSeconds"] = "2");
        Announce(TimeSpan.FromMinutes(30));
        switch (fault)
        {
            case "500":
                LinodeApi.Fault = LinodeApiFault.ServerError;
                break;
            case "429":
                LinodeApi.RateLimitNext(100, retryAfterSeconds: 3600);
                break;
            case "slow":
                LinodeApi.Fault = LinodeApiFault.SlowAnswer;
                break;
            default:
                LinodeApi.Fault = LinodeApiFault.TruncatedJson;
                break;
        }

        var call = app.GetRequiredService<MaintenanceCycle>().RunOnceAsync(None);
        while (!call.IsCompleted)
        {
            // The client's own bound runs on the injected clock: move it on while the lab holds the answer.
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
            _time.Advance(TimeSpan.FromMilliseconds(500));
        }

        var run = await call;

        var warning = Assert.Single(run.Sent);
        Assert.Equal(MaintenanceWarning.StatusPage, warning.Source);
        Assert.NotNull(run.AccountFailure);
        Assert.DoesNotContain('\n', run.AccountFailure);
        Assert.StartsWith("GET account/notifications", run.AccountFailure, StringComparison.Ordinal);
        Assert.Contains(run.AccountFailure, warning.SourceFailure, StringComparison.Ordinal);
        Assert.Contains(_logs.Lines, l => l.EventId == 5052 && l.Message.Contains(run.AccountFailure, StringComparison.Ordinal));
        await AssertTokenNowhereAsync();
    }

    [Theory]
    [InlineData(StatusPageFault.ServerError, "answered 500")]
    [InlineData(StatusPageFault.RateLimited, "answered 429 (rate limited)")]
    [InlineData(StatusPageFault.SlowAnswer, "no complete answer within 0.5 s")]
    [InlineData(StatusPageFault.TruncatedJson, "not Statuspage JSON")]
    public async Task RunOnceAsync_StatusPageAnswersBadly_AccountNoticeStillWarnedAndTheFailureNamed(StatusPageFault fault, string expected)
    {
        var app = App("eastus", "ca-central", s => s["Synthetics:Maintenance:TimeoutSeconds"] = "0.5");
        var (_, noticeId) = Announce(TimeSpan.FromMinutes(30));
        StatusPage.Fault = fault;

        var run = await app.GetRequiredService<MaintenanceCycle>().RunOnceAsync(None);

        var warning = Assert.Single(run.Sent);
        Assert.Equal(noticeId, warning.Maintenance.Id);
        Assert.NotNull(run.StatusPageFailure);
        Assert.Contains(expected, run.StatusPageFailure, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', run.StatusPageFailure);
        Assert.Contains(_logs.Lines, l => l.EventId == 5053 && l.Message.Contains(run.StatusPageFailure, StringComparison.Ordinal));
        await AssertTokenNowhereAsync();
    }

    [Fact]
    public async Task RunOnceAsync_TokenLacksAccountScope_FailureNamesTheScope()
    {
        var app = App("eastus", "ca-central");
        LinodeApi.Fault = LinodeApiFault.Forbidden;

        var run = await app.GetRequiredService<MaintenanceCycle>().RunOnceAsync(None);

        Assert.Equal("GET account/notifications: the token may not read this (403): it needs the account:read_only scope", run.AccountFailure);
        await AssertTokenNowhereAsync();
    }

    private async Task AssertTokenNowhereAsync()
    {
        Assert.DoesNotContain(_logs.Lines, l => l.Message.Contains(Token, StringComparison.Ordinal));
        Assert.DoesNotContain(Token, JsonSerializer.Serialize(_telemetry.Warnings), StringComparison.Ordinal);
        var table = new TableClient(azurite.ConnectionString, _incidentsTable);
        await table.CreateIfNotExistsAsync(None);
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: None))
        {
            Assert.DoesNotContain(Token, JsonSerializer.Serialize(row), StringComparison.Ordinal);
        }
    }
}
