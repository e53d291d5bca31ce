using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Synthetics.Alerts;
using Synthetics.Configuration;
using Synthetics.Core.Tests.Storage;
using Synthetics.Core.Tests.Support;
using Synthetics.Detection;
using Synthetics.Maintenance;
using Synthetics.Probes;
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
        var wrapped = Microsoft.Extensions.Options.Options.Create(options);
        var service = ResultStorageServiceCollectionExtensions.CreateServiceClient(options.Storage);
        return (options, StorageTestData.Store(options), new TableIncidentStateStore(service, wrapped));
    }

    private static Evaluator Evaluator(SyntheticsOptions options, IResultStore results, IIncidentStateStore state, TimeProvider time,
        ITelemetryPublisher telemetry, IMaintenanceSource? maintenance = null) =>
        new(results, state, telemetry, maintenance ?? new FixedMaintenance([]), Microsoft.Extensions.Options.Options.Create(options), time,
            NullLogger<Evaluator>.Instance);

    /// <summary>
    /// Every vantage's cycles of the minutes from <paramref name="fromMinute"/> to before <paramref name="toMinute"/>
    /// (results, then the cycle record): two ca-central targets with <paramref name="failures"/> failing runs each, and a
    /// healthy us-east target.
    /// </summary>
    private static async Task WriteMinutesAsync(
        TableResultStore store, int fromMinute, int toMinute, int failures, IEnumerable<string>? vantages = null, string? stalledVantage = null)
    {
        for (var minute = fromMinute; minute < toMinute; minute++)
        {
            var at = Onset.AddMinutes(minute);
            foreach (var vantage in vantages ?? Vantages)
            {
                var results = ResultFactory.Window("ca-prod-api", "ca-central", vantage, at, failures: failures)
                    .Concat(ResultFactory.Window("ca-staging-api", "ca-central", vantage, at, failures: failures))
                    .Concat(ResultFactory.Window("us-prod-api", "us-east", vantage, at)).ToList();
                var cycle = new CycleRecord(vantage, at, results.Max(r => r.Timestamp) - at, results.Count, results.Count(r => !r.Success))
                {
                    Stalled = vantage == stalledVantage,
                };
                await store.WriteCycleAsync(cycle, results, CancellationToken.None);
            }
        }
    }

    /// <summary>The minute's cycles stored, then an evaluation a minute after they started.</summary>
    private static async Task<EvaluationReport> StoreThenEvaluateAsync(
        TableResultStore store, Evaluator evaluator, FakeTimeProvider time, int minute, int failures)
    {
        await WriteMinutesAsync(store, minute, minute + 1, failures);
        time.SetUtcNow(Onset.AddMinutes(minute + 1));
        return await evaluator.EvaluateAsync(CancellationToken.None);
    }

    [Fact]
    public async Task EvaluateAsync_TargetNotProbedAtEveryVantage_IsNoFindingAboutTheProvider()
    {
        // A deleted Key Vault secret fails the same target the same way at every vantage, every cycle: the pattern of a
        // provider-side fault, but a configuration problem, with an event and an alert rule of its own.
        var (options, results, state) = Deployment();
        var time = new FakeTimeProvider(Onset);
        var published = new RecordingPublisher();
        var evaluator = Evaluator(options, results, state, time, published);

        var reports = new List<EvaluationReport>();
        for (var minute = 0; minute < 5; minute++)
        {
            var at = Onset.AddMinutes(minute);
            foreach (var vantage in Vantages)
            {
                var notProbed = Enumerable.Range(0, 12).Select(run => new ProbeResult
                {
                    Timestamp = at.AddSeconds(run * 5),
                    Vantage = vantage,
                    Target = "ca-prod-api",
                    TargetKind = "KubernetesApi",
                    Probe = Synthetics.Targets.UnresolvedTarget.Probe,
                    Region = "ca-central",
                    Outcome = ProbeOutcome.Error,
                    DurationMs = 0,
                    Message = "not probed: KubeconfigContent is a Key Vault reference the platform did not resolve",
                });
                var cycle = ResultFactory.Window("us-prod-api", "us-east", vantage, at).Concat(notProbed).ToList();
                await results.WriteCycleAsync(new CycleRecord(vantage, at, TimeSpan.FromSeconds(55), cycle.Count, 12), cycle, CancellationToken.None);
            }

            time.SetUtcNow(at.AddMinutes(1));
            reports.Add(await evaluator.EvaluateAsync(CancellationToken.None));
        }

        Assert.Contains(reports, r => !r.Skipped && r.CyclesJudged > 0);
        Assert.All(reports, r => Assert.Empty(r.Findings));
        Assert.All(reports, r => Assert.DoesNotContain(r.Verdicts, v => v.Target == "ca-prod-api"));
        Assert.Empty(published.Incidents);
    }

    [Fact]
    public async Task EvaluateAsync_TwoEvaluatorsRacingEveryMinute_OpenOneRegionalIncidentAndPublishItOnce()
    {
        var (options, results, state) = Deployment();
        var time = new FakeTimeProvider(Onset.AddMinutes(1));
        var published = new RecordingPublisher();
        var first = Evaluator(options, results, state, time, published);
        var second = Evaluator(options, results, state, time, published);

        var reports = new List<EvaluationReport>();
        for (var minute = 1; minute <= 3; minute++)
        {
            await WriteMinutesAsync(results, minute - 1, minute, failures: 6);
            time.SetUtcNow(Onset.AddMinutes(minute));
            reports.AddRange(await Task.WhenAll(first.EvaluateAsync(CancellationToken.None), second.EvaluateAsync(CancellationToken.None)));
        }

        var opened = Assert.Single(reports.SelectMany(r => r.Events));
        Assert.Equal(IncidentEventKind.Opened, opened.Kind);
        Assert.Equal(IncidentScope.Region, opened.Incident.Scope);
        Assert.Equal("ca-central", opened.Incident.Region);
        Assert.Equal(ProbeOutcome.Timeout, opened.Incident.LeadingOutcome);
        Assert.Equal(Vantages, opened.Incident.Vantages);
        Assert.Equal(3, reports.Count(r => r.Skipped)); // every minute, one of the two judged the new cycles
        Assert.Equal([opened.Incident.Id], published.Incidents.Select(e => e.Incident.Id));
        var history = await state.HistoryAsync(Onset, CancellationToken.None);
        Assert.Equal(opened.Incident.Id, Assert.Single(history).Incident.Id);
    }

    /// <summary>
    /// The disruption sampler's new-connection samples so far of the cycle that started at <paramref name="minute"/>, as
    /// each vantage's probe cycle stores them while it runs: <paramref name="attempts"/> per ca-central target, the given
    /// failures each.
    /// </summary>
    private static async Task WriteInProgressAsync(TableResultStore store, int minute, int attempts, IReadOnlyDictionary<string, int> failuresByVantage)
    {
        var at = Onset.AddMinutes(minute);
        var soFar = failuresByVantage.SelectMany(v => new[] { "ca-prod-api", "ca-staging-api" }.Select(target =>
        {
            var sample = ResultFactory.Sample(target, "ca-central", v.Key, at, attempts, v.Value);
            return sample with { Details = new Dictionary<string, object>(sample.Details) { [CycleProgress.PartialDetail] = true } };
        })).ToList();
        await store.WriteAsync(soFar, CancellationToken.None);
    }

    /// <summary>
    /// A deployment whose every vantage stored and had judged <paramref name="minutes"/> healthy minutes; the evaluator
    /// reads through the store <paramref name="readThrough"/> makes of the real one, when given.
    /// </summary>
    private async Task<(TableResultStore Results, TableIncidentStateStore State, FakeTimeProvider Time, RecordingPublisher Published, Evaluator Evaluator)> HealthyMinutesAsync(
        int minutes, Action<DetectionOptions>? detection = null, Func<IResultStore, IResultStore>? readThrough = null)
    {
        var (options, results, state) = Deployment();
        detection?.Invoke(options.Detection);
        var time = new FakeTimeProvider(Onset);
        var published = new RecordingPublisher();
        var evaluator = Evaluator(options, readThrough?.Invoke(results) ?? results, state, time, published);
        for (var minute = 0; minute < minutes; minute++)
        {
            await StoreThenEvaluateAsync(results, evaluator, time, minute, failures: 0);
        }

        return (results, state, time, published, evaluator);
    }

    [Fact]
    public async Task LookAtCyclesInProgress_EveryVantageFailingBeyondDoubt_OpensTheRegionalIncidentBeforeTheCycleIsStored()
    {
        var (results, state, time, published, evaluator) = await HealthyMinutesAsync(12);

        var (before, _) = await state.LoadAsync(CancellationToken.None);
        // Twenty seconds into the cycle of minute 12: six failed samples of twenty per target from every vantage.
        await WriteInProgressAsync(results, 12, attempts: 20, Vantages.ToDictionary(v => v, _ => 6));
        time.SetUtcNow(Onset.AddMinutes(12).AddSeconds(20));
        var opened = Assert.Single(await evaluator.LookAtCyclesInProgressAsync(CancellationToken.None));
        var again = await evaluator.LookAtCyclesInProgressAsync(CancellationToken.None);

        Assert.Equal(IncidentEventKind.Opened, opened.Kind);
        Assert.Equal(IncidentScope.Region, opened.Incident.Scope);
        Assert.Equal("ca-central", opened.Incident.Region);
        Assert.Equal(Onset.AddMinutes(12).AddSeconds(20), opened.Incident.OpenedAt);
        Assert.Empty(again);
        Assert.Equal([opened.Incident.Id], published.Incidents.Select(e => e.Incident.Id));
        var (saved, _) = await state.LoadAsync(CancellationToken.None);
        // Only opened: no cycle was judged.
        Assert.Equal(before.JudgedThrough, saved.JudgedThrough);
        Assert.Equal(before.LastEvaluatedAt, saved.LastEvaluatedAt);

        // The cycle ends and is judged: the same incident carries on, with no second page.
        var carriedOn = await StoreThenEvaluateAsync(results, evaluator, time, 12, failures: 12);
        Assert.DoesNotContain(carriedOn.Events, e => e.Kind == IncidentEventKind.Opened);
        Assert.Equal(opened.Incident.Id, Assert.Single((await state.LoadAsync(CancellationToken.None)).State.Tracked).Id);
        Assert.Single(published.Incidents, e => e.Kind == IncidentEventKind.Opened);
    }

    [Fact]
    public async Task LookAtCyclesInProgress_ReadsTheCycleRecordsOnceForTheWindowAndTheHistory()
    {
        CountingResultStore? reads = null;
        var (results, _, time, _, evaluator) = await HealthyMinutesAsync(12, readThrough: store => reads = new CountingResultStore(store));

        await WriteInProgressAsync(results, 12, attempts: 20, Vantages.ToDictionary(v => v, _ => 6));
        time.SetUtcNow(Onset.AddMinutes(12).AddSeconds(20));
        reads!.CycleRanges.Clear();
        var opened = await evaluator.LookAtCyclesInProgressAsync(CancellationToken.None);

        Assert.Equal("ca-central", Assert.Single(opened).Incident.Region);
        var (since, until) = Assert.Single(reads.CycleRanges);
        Assert.True(since <= Onset, $"the history's cycles from {Onset:O} are read ({since:O} to {until:O})");
    }

    [Fact]
    public async Task LookAtCyclesInProgress_ThinSamplesSoFarAfterAThinRecordedCycle_OpensOnBothWhereNeitherAloneWould()
    {
        var (results, state, time, published, evaluator) = await HealthyMinutesAsync(11);

        // The fault starts late in minute 11: two failed runs of 48 per target and vantage, nothing to open on.
        var first = await StoreThenEvaluateAsync(results, evaluator, time, 11, failures: 2);
        // Thirty seconds into the next cycle, two failed samples of thirty per target and vantage: not beyond doubt alone.
        await WriteInProgressAsync(results, 12, attempts: 30, Vantages.ToDictionary(v => v, _ => 2));
        time.SetUtcNow(Onset.AddMinutes(12).AddSeconds(20));
        var opened = await evaluator.LookAtCyclesInProgressAsync(CancellationToken.None);

        Assert.Empty(first.Events);
        Assert.Equal("ca-central", Assert.Single(opened).Incident.Region);
    }

    [Theory]
    [InlineData(1, 12, 20)] // one vantage losing its own path, however badly
    [InlineData(3, 1, 20)] // a failure here and there
    public async Task LookAtCyclesInProgress_OneVantageOrTooFewFailures_OpensNothing(int failingVantages, int failures, int attempts)
    {
        var (results, state, time, published, evaluator) = await HealthyMinutesAsync(12);

        var (_, version) = await state.LoadAsync(CancellationToken.None);
        await WriteInProgressAsync(results, 12, attempts, Vantages.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i < failingVantages ? failures : 0));
        time.SetUtcNow(Onset.AddMinutes(12).AddSeconds(20));

        Assert.Empty(await evaluator.LookAtCyclesInProgressAsync(CancellationToken.None));
        Assert.Empty(published.Incidents);
        Assert.Equal(version, (await state.LoadAsync(CancellationToken.None)).Version);
    }

    [Theory]
    [InlineData(1e-12, false)]
    [InlineData(1e-9, true)]
    public async Task LookAtCyclesInProgress_SamplesBetweenAlphaAndImmediateAlpha_OpenOnlyBelowInCycleAlpha(double inCycleAlpha, bool opens)
    {
        var (results, _, time, published, evaluator) = await HealthyMinutesAsync(12, d => d.InCycleAlpha = inCycleAlpha);

        // Thirty samples in: two failed of thirty per target from every vantage, beyond Alpha, not ImmediateAlpha.
        await WriteInProgressAsync(results, 12, attempts: 30, Vantages.ToDictionary(v => v, _ => 2));
        time.SetUtcNow(Onset.AddMinutes(12).AddSeconds(20));
        var opened = await evaluator.LookAtCyclesInProgressAsync(CancellationToken.None);

        Assert.Equal(opens ? ["ca-central"] : [], opened.Select(e => e.Incident.Region));
        Assert.Equal(opened.Count, published.Incidents.Count);
    }

    [Fact]
    public async Task EvaluateAsync_FaultsClear_ResolvesAfterConsecutiveGoodEvaluations()
    {
        var (options, results, state) = Deployment();
        var time = new FakeTimeProvider(Onset);
        var published = new RecordingPublisher();
        var evaluator = Evaluator(options, results, state, time, published);

        var events = new List<IncidentEvent>();
        for (var minute = 0; minute < 8; minute++)
        {
            events.AddRange((await StoreThenEvaluateAsync(results, evaluator, time, minute, failures: minute < 2 ? 6 : 0)).Events);
        }

        Assert.Equal([IncidentEventKind.Opened, IncidentEventKind.Resolved], events.Select(e => e.Kind));
        // The last bad cycle (minute 1) leaves the three-minute window with the evaluation at minute 5: good at 5, 6, 7.
        Assert.Equal(Onset.AddMinutes(7), events[1].At);
    }

    [Fact]
    public async Task EvaluateAsync_MaintenanceInTheRegion_NamedOnTheOpenedIncident()
    {
        var (options, results, state) = Deployment();
        var time = new FakeTimeProvider(Onset);
        var maintenance = new FixedMaintenance([TorontoNodeBalancerWork with { Status = "in_progress" }]);
        var evaluator = Evaluator(options, results, state, time, new RecordingPublisher(), maintenance);

        // A thin fault (two failed runs of 48 per target and vantage): beyond chance, not overwhelming, so it opens on the
        // second evaluation in a row.
        await StoreThenEvaluateAsync(results, evaluator, time, 0, failures: 2);
        var opened = Assert.Single((await StoreThenEvaluateAsync(results, evaluator, time, 1, failures: 2)).Events);

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
        var time = new FakeTimeProvider(Onset);
        var maintenance = new FixedMaintenance(
            [TorontoNodeBalancerWork with { Status = "completed", ResolvedAt = Onset.AddSeconds(completedSecondsAfterOnset) }]);
        var evaluator = Evaluator(options, results, state, time, new RecordingPublisher(), maintenance);

        await StoreThenEvaluateAsync(results, evaluator, time, 0, failures: 2); // first seen at minute 1
        // Opened at minute 2, after the provider called the work done.
        var opened = Assert.Single((await StoreThenEvaluateAsync(results, evaluator, time, 1, failures: 2)).Events);

        Assert.Equal(Onset.AddMinutes(1), opened.Incident.FirstSeenAt);
        Assert.Equal(expected, opened.Incident.ProviderMaintenance);
    }

    [Fact]
    public async Task EvaluateAsync_CycleRecordStoredAfterTheEvaluationThatOwnedItsTime_JudgedByTheNextOne()
    {
        // The shipped timing: a cycle starts at :00, its canary holds ~40 s, and its batch is stored after the
        // evaluation at :30. Its results are in the table before its record; the record is what makes it judged.
        var (options, results, state) = Deployment();
        var time = new FakeTimeProvider(Onset);
        var evaluator = Evaluator(options, results, state, time, new RecordingPublisher());
        var first = Vantages.SelectMany(v => ResultFactory.Window("ca-prod-api", "ca-central", v, Onset, runsPerProbe: 1, failures: 2)).ToList();
        await results.WriteAsync(first, CancellationToken.None);

        time.SetUtcNow(Onset.AddSeconds(30));
        var beforeRecords = await evaluator.EvaluateAsync(CancellationToken.None);
        foreach (var vantage in Vantages)
        {
            var own = first.Where(r => r.Vantage == vantage).ToList();
            await results.WriteCycleAsync(new CycleRecord(vantage, Onset, TimeSpan.FromSeconds(45), own.Count, 2), own, CancellationToken.None);
        }

        time.SetUtcNow(Onset.AddSeconds(90));
        var after = await evaluator.EvaluateAsync(CancellationToken.None);
        time.SetUtcNow(Onset.AddSeconds(150));
        var again = await evaluator.EvaluateAsync(CancellationToken.None);

        Assert.True(beforeRecords.Skipped);
        Assert.False(after.Skipped);
        Assert.Equal(3, after.CyclesJudged);
        Assert.Equal(first.Count, after.ResultsRead);
        Assert.Contains(after.Findings, f => f.Key == "provider:ca-central");
        Assert.True(again.Skipped); // judged once, never twice
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task EvaluateAsync_FirstCycleOfAProcessOrOneItStalledIn_StoredButNeverJudged(bool coldStart, bool stalled)
    {
        // A fresh process's first cycle measures its own start (JIT, first handshakes), and a cycle in which the process
        // went unscheduled measures the stall: everything timed out.
        var (options, results, state) = Deployment();
        var time = new FakeTimeProvider(Onset);
        var evaluator = Evaluator(options, results, state, time, new RecordingPublisher());
        foreach (var vantage in Vantages)
        {
            var runs = ResultFactory.Window("ca-prod-api", "ca-central", vantage, Onset, runsPerProbe: 1, failures: 4).ToList();
            var cycle = new CycleRecord(vantage, Onset, TimeSpan.FromSeconds(45), runs.Count, 4)
            {
                ColdStart = coldStart,
                Stalled = stalled,
                LongestStall = stalled ? TimeSpan.FromSeconds(4) : TimeSpan.Zero,
            };
            await results.WriteCycleAsync(cycle, runs, CancellationToken.None);
        }

        time.SetUtcNow(Onset.AddMinutes(1));
        var unjudged = await evaluator.EvaluateAsync(CancellationToken.None);
        var next = await StoreThenEvaluateAsync(results, evaluator, time, 1, failures: 0);

        Assert.True(unjudged.Skipped);
        Assert.Equal((coldStart ? 3 : 0, stalled ? 3 : 0), (unjudged.ColdStarts, unjudged.StalledCycles));
        Assert.False(next.Skipped);
        Assert.Empty(next.Findings); // the unjudged cycle is in the window's time span, but not in its evidence
        var stored = await results.ReadCyclesAsync(Onset, Onset.AddMinutes(1), CancellationToken.None);
        Assert.All(stored, c => Assert.Equal((coldStart, stalled, stalled ? 4000 : 0), (c.ColdStart, c.Stalled, c.LongestStall.TotalMilliseconds)));
    }

    /// <summary>
    /// A healthy minute 0 judged, then minutes 1–4: the other vantages healthy, the first one's as
    /// <paramref name="writeFirstVantage"/> stores them; each minute's findings, by the minute evaluated.
    /// </summary>
    private async Task<List<(int Minute, IReadOnlyList<Finding> Findings)>> FindingsWhileTheFirstVantageAsync(
        Func<TableResultStore, int, Task> writeFirstVantage)
    {
        var (options, results, state) = Deployment();
        var time = new FakeTimeProvider(Onset);
        var evaluator = Evaluator(options, results, state, time, new RecordingPublisher());
        await WriteMinutesAsync(results, 0, 1, failures: 0);
        time.SetUtcNow(Onset.AddMinutes(1));
        await evaluator.EvaluateAsync(CancellationToken.None);

        var findings = new List<(int Minute, IReadOnlyList<Finding> Findings)>();
        for (var minute = 1; minute <= 4; minute++)
        {
            await writeFirstVantage(results, minute);
            await WriteMinutesAsync(results, minute, minute + 1, failures: 0, vantages: Vantages.Skip(1));
            time.SetUtcNow(Onset.AddMinutes(minute + 1));
            findings.Add((minute + 1, (await evaluator.EvaluateAsync(CancellationToken.None)).Findings));
        }

        return findings;
    }

    [Fact]
    public async Task EvaluateAsync_VantageStallingInEveryCycle_ReportedAsStoppedOnceSilentAfterPasses()
    {
        // One vantage's instance is throttled: it still stores a cycle a minute, each one stalled, none judged.
        var findings = await FindingsWhileTheFirstVantageAsync((results, minute) =>
            WriteMinutesAsync(results, minute, minute + 1, failures: 4, vantages: Vantages.Take(1), stalledVantage: Vantages[0]));

        // Its failures are never evidence; its last judged cycle started at minute 0: silent once three minutes passed.
        Assert.All(findings, f => Assert.DoesNotContain(f.Findings, x => x.Key.StartsWith("provider:", StringComparison.Ordinal)));
        Assert.All(findings.Where(f => f.Minute <= 3), f => Assert.DoesNotContain(f.Findings, x => x.Key == $"vantage:{Vantages[0]}"));
        Assert.All(findings.Where(f => f.Minute > 3), f => Assert.Contains(f.Findings, x => x.Key == $"vantage:{Vantages[0]}" && x.State == HealthState.Down));
    }

    [Fact]
    public async Task EvaluateAsync_VantageStopsStoringCycles_ReportedAsStoppedOnceSilentAfterPasses()
    {
        var findings = await FindingsWhileTheFirstVantageAsync((_, _) => Task.CompletedTask);

        // Its last cycle started at minute 0: silent once more than three minutes passed, not before (a slow cycle is not silence).
        Assert.All(findings.Where(f => f.Minute <= 3), f => Assert.Empty(f.Findings));
        Assert.All(findings.Where(f => f.Minute > 3), f =>
        {
            var silent = Assert.Single(f.Findings);
            Assert.Equal($"vantage:{Vantages[0]}", silent.Key);
            Assert.Equal(HealthState.Down, silent.State);
        });
    }

    [Fact]
    public async Task EvaluateAsync_TwoVantagesDownAndTheThirdCutOff_OpensOnlyVantageIncidentsAndPagesNothing()
    {
        // asia-east and eu-west stop (their Function Apps are down); us-central's only path goes: every run to every
        // region fails. One vantage's word that everything everywhere is down is no evidence against the provider.
        var (options, results, state) = Deployment();
        var time = new FakeTimeProvider(Onset);
        var published = new RecordingPublisher();
        var evaluator = Evaluator(options, results, state, time, published);
        for (var minute = 0; minute < 3; minute++)
        {
            await StoreThenEvaluateAsync(results, evaluator, time, minute, failures: 0);
        }

        var events = new List<IncidentEvent>();
        for (var minute = 3; minute < 12; minute++)
        {
            var at = Onset.AddMinutes(minute);
            var cutOff = ResultFactory.Window("ca-prod-api", "ca-central", "us-central", at, failures: 48, outcome: ProbeOutcome.Timeout)
                .Concat(ResultFactory.Window("ca-staging-api", "ca-central", "us-central", at, failures: 48, outcome: ProbeOutcome.Timeout))
                .Concat(ResultFactory.Window("us-prod-api", "us-east", "us-central", at, failures: 48, outcome: ProbeOutcome.Timeout)).ToList();
            await results.WriteCycleAsync(new CycleRecord("us-central", at, TimeSpan.FromSeconds(55), cutOff.Count, cutOff.Count), cutOff, CancellationToken.None);
            time.SetUtcNow(at.AddMinutes(1));
            events.AddRange((await evaluator.EvaluateAsync(CancellationToken.None)).Events);
        }

        Assert.Equal(
            ["vantage:asia-east", "vantage:eu-west", "vantage:us-central"],
            events.Where(e => e.Kind == IncidentEventKind.Opened).Select(e => e.Incident.Key).Order(StringComparer.Ordinal));
        Assert.All(events, e => Assert.Equal(IncidentScope.Vantage, e.Incident.Scope));
        Assert.DoesNotContain(published.Incidents, e => IncidentSeverity.Of(e.Incident) <= 2); // the alert rules page on ≤ 2
    }

    [Fact]
    public async Task EvaluateAsync_OneRunAMinuteSlowerThanItsBaseline_OpensADegradedIncident()
    {
        // The shipped cadence gives one run of each probe per vantage and cycle; +700 ms on every connection must show.
        var (options, results, state) = Deployment();
        var time = new FakeTimeProvider(Onset);
        var evaluator = Evaluator(options, results, state, time, new RecordingPublisher());
        var events = new List<IncidentEvent>();
        for (var minute = 0; minute < 14; minute++)
        {
            var at = Onset.AddMinutes(minute);
            foreach (var vantage in Vantages)
            {
                var runs = ResultFactory.Window("ca-prod-api", "ca-central", vantage, at, runsPerProbe: 1, durationMs: minute < 11 ? 25 : 725).ToList();
                await results.WriteCycleAsync(new CycleRecord(vantage, at, TimeSpan.FromSeconds(45), runs.Count, 0), runs, CancellationToken.None);
            }

            time.SetUtcNow(at.AddMinutes(1));
            events.AddRange((await evaluator.EvaluateAsync(CancellationToken.None)).Events);
        }

        var opened = Assert.Single(events);
        // Slow from minute 11: the three-minute window is mostly slow from the evaluation at minute 13 (cycles 10–12), and the
        // second such evaluation opens it.
        Assert.Equal(Onset.AddMinutes(14), opened.At);
        Assert.Equal(HealthState.Degraded, opened.Incident.State);
        Assert.Equal(ProbeOutcome.Slow, opened.Incident.LeadingOutcome);
        Assert.Contains(opened.Incident.Latency, l => l is { Probe: "tcp", P90Ms: 725, BaselineMedianMs: 25 });
    }

    [Fact]
    public async Task EvaluateAsync_OneBadCycleStayingInTheSlidingWindow_CountsOnceAndOpensNothing()
    {
        var (options, results, state) = Deployment();
        var time = new FakeTimeProvider(Onset);
        var evaluator = Evaluator(options, results, state, time, new RecordingPublisher());

        var reports = new List<EvaluationReport>();
        for (var minute = 0; minute < 4; minute++)
        {
            reports.Add(await StoreThenEvaluateAsync(results, evaluator, time, minute, failures: minute == 0 ? 2 : 0));
        }

        // Beyond chance (two failed runs of 48 per target and vantage, against a usual rate of 0.2%), not overwhelming.
        Assert.Contains(reports[0].Findings, f => f.Key == "provider:ca-central" && !f.Overwhelming);
        // Still in the window, but no new evidence: nothing counts toward opening.
        Assert.All(reports.Skip(1).SelectMany(r => r.Findings), f => Assert.False(f.HasNewEvidence));
        Assert.Empty(reports.SelectMany(r => r.Events));
    }

    [Fact]
    public async Task EvaluateAsync_TargetsWithTooFewRequestsToSeeAThinFault_AreNamedNotPassed()
    {
        var (options, results, state) = Deployment();
        var time = new FakeTimeProvider(Onset);
        var evaluator = Evaluator(options, results, state, time, new RecordingPublisher());

        // 48 probe runs per target and vantage, no sampler: 144 requests where 600 are needed to see 0.5% failing.
        var thin = await StoreThenEvaluateAsync(results, evaluator, time, 0, failures: 0);

        Assert.Equal(["ca-prod-api", "ca-staging-api", "us-prod-api"], thin.TooFewToJudge);
        Assert.Empty(thin.Findings);
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
