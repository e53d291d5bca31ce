using Synthetics.Detection;
using Synthetics.Results;
using static Synthetics.Core.Tests.Detection.ResultFactory;

namespace Synthetics.Core.Tests.Detection;

/// <summary>
/// The detector on counts: a disruption sampler's run weighs as its samples, failures are tested against the target's
/// own usual rate in the window and the long window, new and kept connections apart, latency against its own shape.
/// </summary>
public sealed class CountBasedDetectionTests
{
    private static readonly DetectionOptions Options = new();
    private static readonly string[] Vantages = ["asia-east", "eu-west", "us-central"];

    [Theory]
    [InlineData(3, 10, 0.1, 0.0701908)] // 1 − P(0) − P(1) − P(2)
    [InlineData(5, 20, 0.05, 0.0025739)]
    [InlineData(1, 10, 0.01, 0.0956179)] // 1 − 0.99^10
    public void UpperTail_KnownValues_MatchTheBinomialDistribution(int failures, int attempts, double rate, double expected)
    {
        Assert.Equal(expected, Binomial.UpperTail(failures, attempts, rate), 5);
    }

    [Fact]
    public void UpperTail_FarBeyondChance_IsTinyNotNaN()
    {
        var tail = Binomial.UpperTail(300, 1000, 0.001);

        Assert.False(double.IsNaN(tail));
        Assert.InRange(tail, 0, 1e-300);
        Assert.Equal(1, Binomial.UpperTail(1, 1000, 0.002)); // at or below the expected count: never significant
    }

    [Fact]
    public void Evaluate_SamplerRun_WeighsAsItsSamplesWithOutcomesFromItsCounts()
    {
        var sample = Sample("ca-prod-api", "ca-central", "eu-west", Start, attempts: 36, failures: 4) with
        {
            Details = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["series"] = "new",
                ["attempts"] = 36L,
                ["failures"] = 4L,
                ["failures.timeout"] = 3L,
                ["failures.reset"] = 1L,
                ["totalP50Ms"] = 60.0,
            },
        };

        var verdict = Assert.Single(WindowEvaluator.Evaluate([sample], [], Options));

        Assert.Equal(1, verdict.Runs);
        Assert.Equal(36, verdict.Attempts);
        Assert.Equal(4, verdict.FailedAttempts);
        Assert.Equal(3, verdict.Outcomes[ProbeOutcome.Timeout]);
        Assert.Equal(1, verdict.Outcomes[ProbeOutcome.Reset]);
        Assert.Equal(new AttemptCount(36, 4), verdict.NewConnections.InWindow);
        Assert.Equal(AttemptCount.None, verdict.KeptConnections.InWindow);
    }

    [Fact]
    public void Classify_EightPercentOfSamplesFailingFromEveryVantage_IsOverwhelmingAtOnce()
    {
        var window = Vantages.SelectMany(v => new[]
        {
            Sample("ca-prod-api", "ca-central", v, Start, failures: 3),
            Sample("ca-web", "ca-central", v, Start, failures: 3),
        });

        var finding = Assert.Single(Classify(window));

        Assert.Equal("provider:ca-central", finding.Key);
        Assert.True(finding.Overwhelming);
        var (tracked, events) = IncidentTracker.Advance([], [finding], Start.AddMinutes(1), Options);
        Assert.Equal(IncidentEventKind.Opened, Assert.Single(events).Kind);
        Assert.True(Assert.Single(tracked).IsOpen);
    }

    [Fact]
    public void Classify_SameFailuresAgainstATargetThatAlwaysFailsThatOften_IsNothing()
    {
        // 3 of 36 samples failing, every minute of the last half hour as now: the target's shape, not a change.
        var history = Enumerable.Range(4, 30).SelectMany(m => Vantages.Select(v => Sample("ca-prod-api", "ca-central", v, Start.AddMinutes(-m), failures: 3)));
        var window = Vantages.Select(v => Sample("ca-prod-api", "ca-central", v, Start, failures: 3));

        Assert.Empty(Classify(window, history));
    }

    [Fact]
    public void Classify_OnePercentOverTheLongWindow_IsTheProvidersWhereNoWindowAloneIs()
    {
        // A region whose requests usually fail one in 324 (a sample in nine minutes per target and vantage) starts failing
        // one in 72: about nine failures in three minutes where two are usual, which chance still does now and then;
        // ten minutes of it, pooled over the region, chance does not.
        string[] targets = ["ca-prod-api", "ca-web", "ca-web-tcp"];
        IEnumerable<ProbeResult> Minute(int minute, int period) => Vantages.SelectMany((v, i) => targets.Select((t, j) =>
            Sample(t, "ca-central", v, Start.AddMinutes(minute), failures: (minute + (3 * i) + j) % period == 0 ? 1 : 0)));
        var history = Enumerable.Range(-33, 26).SelectMany(m => Minute(m, 9)).ToList();
        var window = Enumerable.Range(0, 3).SelectMany(m => Minute(m, 2)).ToList();

        var onlyTheWindow = Classify(window, history.Concat(Enumerable.Range(-7, 7).SelectMany(m => Minute(m, 9))));
        var finding = Assert.Single(Classify(window, history.Concat(Enumerable.Range(-7, 7).SelectMany(m => Minute(m, 2)))));

        Assert.Empty(onlyTheWindow);
        Assert.Equal("provider:ca-central", finding.Key);
        Assert.Equal(IncidentScope.Region, finding.Scope);
        Assert.False(finding.Overwhelming);
        Assert.True(finding.OverLongWindow);
    }

    [Fact]
    public void Classify_OneVantageFailingEverythingOverTheLongWindowWhileTheOthersFailAsUsual_IsNotTheProviders()
    {
        // eu-west lost its path for ten minutes; the others fail twice each, as often as the target usually does.
        var window = LongWindowOfOneTarget(v => v == "eu-west" ? [.. Enumerable.Range(-9, 10)] : [-6, 0])
            .Select(r => r.Vantage == "eu-west" ? Sample(r.Target, r.Region, r.Vantage, r.Timestamp, failures: 36) : r);

        Assert.DoesNotContain(ClassifyOverLongWindow(window), f => f.Key == "provider:ca-central");
    }

    [Fact]
    public void Classify_ThinFaultOnEveryVantageAlike_PoolsEveryVantageOverTheLongWindow()
    {
        // Ten minutes of a thin fault seen from every vantage, one a little more than the others (9, 5 and 5 failed
        // samples where about two are usual): no vantage stands out, so all three count. Without the one that failed most
        // the other two's ten failures would still be chance-like.
        var longWindow = LongWindowOfOneTarget(v => v switch
        {
            "asia-east" => [-9, -8, -7, -6, -5, -4, -3, -2, -1],
            "eu-west" => [-9, -7, -5, -3, -1],
            _ => [-8, -6, -4, -2, 0],
        });

        var finding = Assert.Single(ClassifyOverLongWindow(longWindow, UsualHistoryOfOneTarget(minutes: 50)));

        Assert.Equal("provider:ca-central", finding.Key);
        Assert.True(finding.OverLongWindow);
    }

    [Fact]
    public void Classify_LongWindowAgainstAShortQuietHistory_AllowsForTheHistoryBeingShort()
    {
        // A target seen for ten minutes without a failure, then fifteen failed samples in ten minutes: against its rate as
        // if known (the prior's 0.2% tempered by the quiet minutes) that is beyond chance, but ten quiet minutes say little
        // about a rate, and the long window is compared with the history as it is: a count.
        var history = Enumerable.Range(-19, 10).SelectMany(m => Vantages.Select(v => Sample("ca-prod-api", "ca-central", v, Start.AddMinutes(m))));
        var longWindow = LongWindowOfOneTarget(v => v switch
        {
            "asia-east" => [-9, -7, -5, -3, -1],
            "eu-west" => [-8, -6, -4, -2, 0],
            _ => [-9, -7, -5, -3, 0],
        });

        Assert.Empty(ClassifyOverLongWindow(longWindow, history));
    }

    [Fact]
    public void Classify_KeptConnectionsFailing_AreNotDilutedByNewOnes()
    {
        var window = Vantages.SelectMany(v => new[]
        {
            Sample("ca-prod-api", "ca-central", v, Start, attempts: 36, failures: 0),
            Sample("ca-prod-api", "ca-central", v, Start, attempts: 36, failures: 3, outcome: ProbeOutcome.Reset, series: "reused"),
        });

        var verdicts = WindowEvaluator.Evaluate([.. window], [], Options);
        var finding = Assert.Single(ScopeClassifier.Classify(verdicts, Options));

        Assert.All(verdicts, v => Assert.Equal(new AttemptCount(36, 3), v.KeptConnections.InWindow));
        Assert.Equal(ProbeOutcome.Reset, finding.LeadingOutcome);
    }

    [Fact]
    public void Evaluate_SteadyLongTail_IsTheTargetsShapeNotSlowness()
    {
        // Half of all connections wait a second in a small accept backlog, in the baseline as now.
        var random = new Random(3);
        IEnumerable<ProbeResult> Runs(DateTimeOffset at, int count) => Window("t", "r", "v", at, runsPerProbe: count)
            .Select(r => r with { DurationMs = random.NextDouble() < 0.5 ? 1015 : 15 });
        var baseline = Runs(Start.AddMinutes(-20), 30).ToList();
        var window = Runs(Start, 3).ToList();

        var verdict = Assert.Single(WindowEvaluator.Evaluate(window, baseline, Options));

        Assert.Equal(HealthState.Healthy, verdict.State);
        Assert.InRange(verdict.ExpectedSlowRuns, 1, verdict.Runs);
    }

    [Fact]
    public void Evaluate_TargetThatTurnsSlowAllAtOnce_IsSlow()
    {
        var baseline = Window("t", "r", "v", Start.AddMinutes(-20), runsPerProbe: 30, durationMs: 20).ToList();
        var window = Window("t", "r", "v", Start, runsPerProbe: 3, durationMs: 720).ToList();

        var verdict = Assert.Single(WindowEvaluator.Evaluate(window, baseline, Options));

        Assert.Equal(HealthState.Degraded, verdict.State);
        Assert.Equal(verdict.Runs, verdict.SlowRuns);
        Assert.Equal(0, verdict.ExpectedSlowRuns);
    }

    [Fact]
    public void Evaluate_RegionUnderIncident_KeepsTheIncidentsMinutesOutOfItsUsualRate()
    {
        // Twenty minutes of 10% failures since the incident was first seen: without the exclusion they would be the usual.
        var before = Enumerable.Range(34, 6).SelectMany(m => Vantages.Select(v => Sample("t", "r", v, Start.AddMinutes(-m))));
        var during = Enumerable.Range(10, 24).SelectMany(m => Vantages.Select(v => Sample("t", "r", v, Start.AddMinutes(-m), failures: 4)));
        var baseline = before.Concat(during).ToList();
        var window = Vantages.Select(v => Sample("t", "r", v, Start, failures: 4)).ToList();

        var adapted = WindowEvaluator.Evaluate(window, baseline, Options)[0].NewConnections.UsualRate;
        var kept = WindowEvaluator.Evaluate(window, baseline, Options, troubledSince: new Dictionary<string, DateTimeOffset> { ["r"] = Start.AddMinutes(-33) })[0]
            .NewConnections.UsualRate;

        Assert.InRange(adapted, 0.05, 0.12);
        Assert.InRange(kept, 0, 0.003);
    }

    [Fact]
    public void Evaluate_RegionUnderIncident_KeepsTheLongWindowBeforeItWasFirstSeenOutOfItsUsualRate()
    {
        // A thin fault from twenty minutes ago, first seen eight minutes into it (as a long window finds it): the minutes
        // between are the incident too.
        var clean = Enumerable.Range(21, 13).SelectMany(m => Vantages.Select(v => Sample("t", "r", v, Start.AddMinutes(-m))));
        var faulty = Enumerable.Range(3, 18).SelectMany(m => Vantages.Select(v => Sample("t", "r", v, Start.AddMinutes(-m), failures: 2)));
        var window = Vantages.Select(v => Sample("t", "r", v, Start, failures: 2)).ToList();

        var usual = WindowEvaluator.Evaluate(window, [.. clean.Concat(faulty)], Options, troubledSince: new Dictionary<string, DateTimeOffset> { ["r"] = Start.AddMinutes(-12) })[0]
            .NewConnections.UsualRate;

        Assert.InRange(usual, 0, 0.003);
    }

    private static IReadOnlyList<Finding> Classify(IEnumerable<ProbeResult> window, IEnumerable<ProbeResult>? baseline = null) =>
        ScopeClassifier.Classify(WindowEvaluator.Evaluate([.. window], [.. baseline ?? []], Options), Options);

    // The window is the long window's last three minutes; before them, the rest of it and the usual history.
    private static IReadOnlyList<Finding> ClassifyOverLongWindow(IEnumerable<ProbeResult> longWindow, IEnumerable<ProbeResult>? history = null)
    {
        var runs = longWindow.ToList();
        var windowStart = Start.AddMinutes(-2);
        return Classify(runs.Where(r => r.Timestamp >= windowStart), (history ?? UsualHistoryOfOneTarget()).Concat(runs.Where(r => r.Timestamp < windowStart)));
    }

    // ca-prod-api's sampler from every vantage over the minutes before the long window (to −10): a failure in nine minutes per vantage.
    private static List<ProbeResult> UsualHistoryOfOneTarget(int minutes = 24) =>
        [.. Enumerable.Range(-9 - minutes, minutes).SelectMany(m => Vantages.Select((v, i) =>
            Sample("ca-prod-api", "ca-central", v, Start.AddMinutes(m), failures: (m + 33 + (3 * i)) % 9 == 0 ? 1 : 0)))];

    // ca-prod-api's sampler from every vantage over the long window (minutes −9 to 0), failing once in each given minute.
    private static IEnumerable<ProbeResult> LongWindowOfOneTarget(Func<string, int[]> failingMinutes) =>
        Enumerable.Range(-9, 10).SelectMany(m => Vantages.Select(v =>
            Sample("ca-prod-api", "ca-central", v, Start.AddMinutes(m), failures: failingMinutes(v).Contains(m) ? 1 : 0)));
}
