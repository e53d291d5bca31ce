using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Synthetics.Alerts;
using Synthetics.Configuration;
using Synthetics.Core.Tests.Storage;
using Synthetics.Core.Tests.Support;
using Synthetics.Detection;
using Synthetics.Maintenance;
using Synthetics.Results;
using Synthetics.Storage;

namespace Synthetics.Core.Tests.Detection;

/// <summary>The evaluator on real Table Storage (Azurite): results in, incidents out, once, whoever evaluates.</summary>
public sealed class EvaluatorTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly string[] Vantages = ["asia-east", "eu-west", "us-central"];
    private static readonly DateTimeOffset Onset = ResultFactory.Start;

    private (SyntheticsOptions Options, TableResultStore Results, TableIncidentStateStore State) Deployment()
    {
        var options = StorageTestData.Options(azurite.ConnectionString);
        options.Storage.IncidentsTable = AzuriteFixture.UniqueTableName("Incidents");
        options.Detection.Settle = TimeSpan.Zero;
        var wrapped = Microsoft.Extensions.Options.Options.Create(options);
        var service = ResultStorageServiceCollectionExtensions.CreateServiceClient(options.Storage);
        return (options, StorageTestData.Store(options), new TableIncidentStateStore(service, wrapped));
    }

    private static Evaluator Evaluator(SyntheticsOptions options, IResultStore results, IIncidentStateStore state, TimeProvider time,
        ITelemetryPublisher telemetry, IMaintenanceSource? maintenance = null) =>
        new(results, state, telemetry, maintenance ?? new FixedMaintenance([]), Microsoft.Extensions.Options.Options.Create(options), time,
            NullLogger<Evaluator>.Instance);

    /// <summary>Minutes of results for two ca-central targets failing from every vantage, and a healthy us-east target.</summary>
    private static async Task WriteMinutesAsync(TableResultStore store, int fromMinute, int toMinute, int failures)
    {
        for (var minute = fromMinute; minute < toMinute; minute++)
        {
            var at = Onset.AddMinutes(minute);
            var results = Vantages.SelectMany(v =>
                ResultFactory.Window("ca-prod-api", "ca-central", v, at, failures: failures)
                    .Concat(ResultFactory.Window("ca-staging-api", "ca-central", v, at, failures: failures))
                    .Concat(ResultFactory.Window("us-prod-api", "us-east", v, at))).ToList();
            await store.WriteAsync(results, CancellationToken.None);
        }
    }

    [Fact]
    public async Task EvaluateAsync_TwoEvaluatorsRacingEveryMinute_OpenOneRegionalIncidentAndPublishItOnce()
    {
        var (options, results, state) = Deployment();
        await WriteMinutesAsync(results, 0, 3, failures: 6);
        var time = new FakeTimeProvider(Onset.AddMinutes(1));
        var published = new RecordingPublisher();
        var first = Evaluator(options, results, state, time, published);
        var second = Evaluator(options, results, state, time, published);

        var reports = new List<EvaluationReport>();
        for (var minute = 1; minute <= 3; minute++)
        {
            time.SetUtcNow(Onset.AddMinutes(minute));
            reports.AddRange(await Task.WhenAll(first.EvaluateAsync(CancellationToken.None), second.EvaluateAsync(CancellationToken.None)));
        }

        var opened = Assert.Single(reports.SelectMany(r => r.Events));
        Assert.Equal(IncidentEventKind.Opened, opened.Kind);
        Assert.Equal(IncidentScope.Region, opened.Incident.Scope);
        Assert.Equal("ca-central", opened.Incident.Region);
        Assert.Equal(ProbeOutcome.Timeout, opened.Incident.LeadingOutcome);
        Assert.Equal(Vantages, opened.Incident.Vantages);
        Assert.Equal(3, reports.Count(r => r.Skipped)); // every minute, one of the two evaluated
        Assert.Equal([opened.Incident.Id], published.Incidents.Select(e => e.Incident.Id));
        var history = await state.HistoryAsync(Onset, CancellationToken.None);
        Assert.Equal(opened.Incident.Id, Assert.Single(history).Incident.Id);
    }

    [Fact]
    public async Task EvaluateAsync_FaultsClear_ResolvesAfterConsecutiveGoodEvaluations()
    {
        var (options, results, state) = Deployment();
        await WriteMinutesAsync(results, 0, 2, failures: 6);
        await WriteMinutesAsync(results, 2, 7, failures: 0);
        var time = new FakeTimeProvider(Onset);
        var published = new RecordingPublisher();
        var evaluator = Evaluator(options, results, state, time, published);

        var events = new List<IncidentEvent>();
        for (var minute = 1; minute <= 6; minute++)
        {
            time.SetUtcNow(Onset.AddMinutes(minute));
            events.AddRange((await evaluator.EvaluateAsync(CancellationToken.None)).Events);
        }

        Assert.Equal([IncidentEventKind.Opened, IncidentEventKind.Resolved], events.Select(e => e.Kind));
        Assert.Equal(Onset.AddMinutes(5), events[1].At); // good at minutes 3, 4, 5
    }

    [Fact]
    public async Task EvaluateAsync_MaintenanceInTheRegion_NamedOnTheOpenedIncident()
    {
        var (options, results, state) = Deployment();
        await WriteMinutesAsync(results, 0, 2, failures: 6);
        var time = new FakeTimeProvider(Onset);
        var maintenance = new FixedMaintenance([TorontoNodeBalancerWork with { Status = "in_progress" }]);
        var evaluator = Evaluator(options, results, state, time, new RecordingPublisher(), maintenance);

        time.SetUtcNow(Onset.AddMinutes(1));
        await evaluator.EvaluateAsync(CancellationToken.None);
        time.SetUtcNow(Onset.AddMinutes(2));
        var opened = Assert.Single((await evaluator.EvaluateAsync(CancellationToken.None)).Events);

        Assert.Equal("NodeBalancer improvements (in_progress) on CA-Central (Toronto) NodeBalancers", opened.Incident.ProviderMaintenance);
        var (saved, _) = await state.LoadAsync(CancellationToken.None);
        Assert.Equal(opened.Incident.ProviderMaintenance, Assert.Single(saved.Tracked).ProviderMaintenance);
    }

    [Theory]
    [InlineData(90, "NodeBalancer improvements (completed) on CA-Central (Toronto) NodeBalancers")]
    [InlineData(30, null)]
    public async Task EvaluateAsync_MaintenanceCompletedBeforeTheIncidentOpened_NamedOnlyIfTheIncidentWasFirstSeenDuringIt(
        int completedSecondsAfterOnset, string? expected)
    {
        var (options, results, state) = Deployment();
        await WriteMinutesAsync(results, 0, 2, failures: 6);
        var time = new FakeTimeProvider(Onset);
        var maintenance = new FixedMaintenance(
            [TorontoNodeBalancerWork with { Status = "completed", ResolvedAt = Onset.AddSeconds(completedSecondsAfterOnset) }]);
        var evaluator = Evaluator(options, results, state, time, new RecordingPublisher(), maintenance);

        time.SetUtcNow(Onset.AddMinutes(1)); // first seen
        await evaluator.EvaluateAsync(CancellationToken.None);
        time.SetUtcNow(Onset.AddMinutes(2)); // opened, after the provider called the work done
        var opened = Assert.Single((await evaluator.EvaluateAsync(CancellationToken.None)).Events);

        Assert.Equal(Onset.AddMinutes(1), opened.Incident.FirstSeenAt);
        Assert.Equal(expected, opened.Incident.ProviderMaintenance);
    }

    /// <summary>"NodeBalancer improvements" on ca-central, scheduled from an hour before the onset to three hours after.</summary>
    private static readonly MaintenanceWindow TorontoNodeBalancerWork = new()
    {
        Id = "m1",
        Name = "NodeBalancer improvements",
        Status = "scheduled",
        ScheduledFor = Onset.AddHours(-1),
        ScheduledUntil = Onset.AddHours(3),
        Components = [ProviderComponent.Parse("CA-Central (Toronto) NodeBalancers")],
    };

    private sealed class RecordingPublisher : ITelemetryPublisher
    {
        private readonly List<IncidentEvent> _incidents = [];

        public IReadOnlyList<IncidentEvent> Incidents
        {
            get
            {
                lock (_incidents)
                {
                    return [.. _incidents];
                }
            }
        }

        public bool IsEnabled => true;

        public void PublishResults(IEnumerable<ProbeResult> results)
        {
        }

        public void PublishIncident(IncidentEvent incidentEvent)
        {
            lock (_incidents)
            {
                _incidents.Add(incidentEvent);
            }
        }

        public Task<bool> FlushAsync(CancellationToken cancellationToken) => Task.FromResult(true);
    }

    private sealed class FixedMaintenance(IReadOnlyList<MaintenanceWindow> windows) : IMaintenanceSource
    {
        public Task<IReadOnlyList<MaintenanceWindow>> GetAsync(CancellationToken cancellationToken) => Task.FromResult(windows);
    }
}
