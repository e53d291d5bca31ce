using Synthetics.Results;

namespace Synthetics.Detection;

/// <summary>
/// Judges each target × vantage over one window against the target's own history: failed requests are counted (a probe
/// run is one request, a disruption sampler's run as many as it sampled) and tested against the target's usual failure
/// rate; runs slower than the same probe's usual tail from the same vantage are counted apart. Measures nothing and
/// remembers nothing: the same results always give the same verdicts.
/// </summary>
public static class WindowEvaluator
{
    /// <summary>
    /// Verdicts for every target seen in <paramref name="window"/> or <paramref name="baseline"/>, from every vantage
    /// with results in the window (a target it did not probe is <see cref="HealthState.NoData"/>) and from every
    /// <paramref name="silent"/> vantage (all <see cref="HealthState.NoData"/>, so a vantage that stopped shows).
    /// </summary>
    /// <param name="window">The runs judged.</param>
    /// <param name="baseline">Earlier runs: the latency baselines per vantage, the long window's earlier part
    /// (<see cref="DetectionOptions.LongWindow"/>), and before it each target's usual failure rate.</param>
    /// <param name="options">Thresholds.</param>
    /// <param name="freshSince">Per vantage, where the runs no earlier evaluation judged begin; a vantage not in it
    /// (or no map) has only fresh runs. Bad runs among the fresh ones are <see cref="VantageVerdict.FreshFailures"/>.</param>
    /// <param name="silent">Vantages that stopped producing cycles.</param>
    /// <param name="troubledSince">Per region under an open provider-side incident, when it was first seen: the
    /// region's runs since then are the incident, and stay out of its targets' usual latency and (from a
    /// <see cref="DetectionOptions.LongWindow"/> earlier, what the evidence that opened it may reach back to) their usual
    /// failure rate, so a long incident is not taken for the new normal and resolved while it lasts. With no history
    /// before it, the usual rate is <see cref="DetectionOptions.PriorFailureRate"/>.</param>
    public static IReadOnlyList<VantageVerdict> Evaluate(
        IReadOnlyCollection<ProbeResult> window,
        IReadOnlyCollection<ProbeResult> baseline,
        DetectionOptions options,
        IReadOnlyDictionary<string, DateTimeOffset>? freshSince = null,
        IReadOnlyCollection<string>? silent = null,
        IReadOnlyDictionary<string, DateTimeOffset>? troubledSince = null)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(options);

        var measured = window.Where(IsMeasurement).ToList();
        var history = baseline.Where(IsMeasurement).ToList();
        var targets = window.Concat(baseline)
            .GroupBy(r => r.Target, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Region, StringComparer.Ordinal);
        var silentSet = (silent ?? []).ToHashSet(StringComparer.Ordinal);
        var vantages = window.Select(r => r.Vantage).Concat(silentSet).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        // The long window reaches back from each vantage's window into its baseline; what lies before it is the target's
        // history, its usual failure rate.
        var extension = options.LongWindow > options.Window ? options.LongWindow - options.Window : TimeSpan.Zero;
        var longFrom = measured.GroupBy(r => r.Vantage, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Min(r => r.Timestamp) - extension, StringComparer.Ordinal);
        bool InLongWindow(ProbeResult r) => longFrom.TryGetValue(r.Vantage, out var from) && r.Timestamp >= from;
        var earlier = history.Where(InLongWindow).ToLookup(r => (r.Target, r.Vantage));
        // A long window is one only where the target's results from the vantage reach back over it (see ConnectionSeries).
        var reachesBack = history.Where(r => longFrom.TryGetValue(r.Vantage, out var from) && r.Timestamp < from)
            .Select(r => (r.Target, r.Vantage))
            .ToHashSet();
        bool Usual(ProbeResult r, TimeSpan before) =>
            troubledSince is null || !troubledSince.TryGetValue(r.Region, out var since) || r.Timestamp < since - before;
        // The usual failure rate stops a long window earlier still: an incident may open on the long window's failures, and
        // a thin fault was failing over that long window before the incident was first seen.
        var usualRuns = history.Where(r => !InLongWindow(r) && Usual(r, options.LongWindow)).ToList();
        var reference = usualRuns.ToLookup(r => r.Target, StringComparer.Ordinal);
        var referenceByPair = usualRuns.ToLookup(r => (r.Target, r.Vantage));
        var usualLatency = history.Where(r => LatencyOf(r) is not null && Usual(r, TimeSpan.Zero))
            .GroupBy(r => (r.Target, r.Probe, r.Vantage))
            .Where(g => g.Count() >= options.MinRunsForLatency)
            .ToDictionary(g => g.Key, g => UsualLatency.Of([.. g.Select(r => LatencyOf(r)!.Value)], options));
        var byPair = measured.ToLookup(r => (r.Target, r.Vantage));

        var verdicts = new List<VantageVerdict>();
        foreach (var (target, region) in targets.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var usualNew = UsualRate(reference[target].Where(r => !Requests.OnKeptConnection(r)), options);
            var usualKept = UsualRate(reference[target].Where(Requests.OnKeptConnection), options);
            foreach (var vantage in vantages)
            {
                var runs = silentSet.Contains(vantage) ? [] : byPair[(target, vantage)].ToList();
                var fresh = freshSince is not null && freshSince.TryGetValue(vantage, out var since) ? since : DateTimeOffset.MinValue;
                var verdict = Judge(target, region, vantage, runs, fresh, usualNew, usualLatency, options);
                var before = earlier[(target, vantage)].ToList();
                var whole = reachesBack.Contains((target, vantage));
                var usual = referenceByPair[(target, vantage)].ToList();
                verdicts.Add(verdict with
                {
                    NewConnections = Series(runs, before, usual, r => !Requests.OnKeptConnection(r), usualNew) with { HasLongWindow = whole },
                    KeptConnections = Series(runs, before, usual, Requests.OnKeptConnection, usualKept) with { HasLongWindow = whole },
                });
            }
        }

        return verdicts;
    }

    private static VantageVerdict Judge(
        string target,
        string region,
        string vantage,
        List<ProbeResult> runs,
        DateTimeOffset freshSince,
        double usualRate,
        Dictionary<(string Target, string Probe, string Vantage), UsualLatency> usualLatency,
        DetectionOptions options)
    {
        // A run well over its own probe's usual median from this vantage is slow; and so that like is compared with like,
        // the share of such runs the baseline had is what the window is expected to have: a target whose latency always
        // has a long tail is not slow for having it, one whose runs turn slow all at once is.
        bool SlowAgainstBaseline(ProbeResult run) =>
            usualLatency.TryGetValue((target, run.Probe, vantage), out var usual)
            && LatencyOf(run) is { } latency
            && latency > usual.SlowAboveMs;

        var outcomes = new Dictionary<ProbeOutcome, int>();
        var attempts = 0;
        var failed = 0;
        var slowRuns = 0;
        var fresh = 0;
        var expectedSlow = 0.0;
        foreach (var run in runs)
        {
            if (usualLatency.TryGetValue((target, run.Probe, vantage), out var usual))
            {
                expectedSlow += usual.SlowShare;
            }

            var requests = Requests.Of(run);
            attempts += requests.Attempts;
            failed += requests.Failed;
            foreach (var (outcome, count) in requests.Outcomes)
            {
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + count;
            }

            var slow = requests.LatencyMs is not null && (run.Outcome == ProbeOutcome.Slow || SlowAgainstBaseline(run));
            if (slow)
            {
                slowRuns++;
                outcomes[ProbeOutcome.Slow] = outcomes.GetValueOrDefault(ProbeOutcome.Slow) + 1;
            }

            if (run.Timestamp >= freshSince)
            {
                fresh += requests.Failed + (slow ? 1 : 0);
            }
        }

        var slowProbes = runs.Where(SlowAgainstBaseline)
            .GroupBy(r => r.Probe, StringComparer.Ordinal)
            .Select(p => new LatencyExcess(
                p.Key,
                Math.Round(Percentile(runs.Where(r => r.Probe == p.Key && LatencyOf(r) is not null).Select(r => LatencyOf(r)!.Value), 0.9), 1),
                Math.Round(usualLatency[(target, p.Key, vantage)].MedianMs, 1)))
            .OrderBy(p => p.Probe, StringComparer.Ordinal)
            .ToList();

        var requested = new AttemptCount(attempts, failed);
        var state = runs.Count == 0 ? HealthState.NoData
            : requested.Ratio >= options.DownFailureRatio ? HealthState.Down
            : IsUnusual(requested, usualRate, options, options.Alpha) || IsSlow(slowRuns, expectedSlow, runs.Count, options) ? HealthState.Degraded
            : HealthState.Healthy;
        return new VantageVerdict(target, region, vantage, state, runs.Count, attempts, failed, slowRuns, outcomes, slowProbes, fresh)
        {
            ExpectedSlowRuns = expectedSlow,
        };
    }

    /// <summary>
    /// Whether <paramref name="count"/> fails more than chance explains at the target's <paramref name="usualRate"/>:
    /// at least <see cref="DetectionOptions.MinFailures"/> failures, at least
    /// <see cref="DetectionOptions.DegradedFailureRatio"/> of the requests, and a binomial upper tail of at most
    /// <paramref name="alpha"/>. The test is what lets a window of hundreds of samples speak as loudly as its numbers
    /// allow: eight failures of a hundred against a usual one in a thousand is certain, three of three hundred is not.
    /// </summary>
    public static bool IsUnusual(AttemptCount count, double usualRate, DetectionOptions options, double alpha)
    {
        ArgumentNullException.ThrowIfNull(options);
        return IsEnoughToJudge(count, options) && Binomial.UpperTail(count.Failed, count.Attempts, usualRate) <= alpha;
    }

    /// <summary>Whether <paramref name="count"/> fails often enough to be degraded at all, whatever a test says:
    /// <see cref="DetectionOptions.MinFailures"/> failures and <see cref="DetectionOptions.DegradedFailureRatio"/> of the requests.</summary>
    internal static bool IsEnoughToJudge(AttemptCount count, DetectionOptions options) =>
        count.Failed >= options.MinFailures && count.Ratio >= options.DegradedFailureRatio;

    /// <summary>
    /// Whether <paramref name="slowRuns"/> of <paramref name="runs"/> make a view slow: at least
    /// <see cref="DetectionOptions.MinFailures"/>, and more than the <paramref name="expectedSlowRuns"/> its baseline
    /// would have by <see cref="DetectionOptions.SlowRunShare"/> of the runs. Latency has a long tail everywhere (a
    /// stalled host, a congested path, a backlog that delays every other handshake): a tail the target always had is
    /// its shape, a provider's slowdown is a change that slows most runs at once.
    /// </summary>
    internal static bool IsSlow(int slowRuns, double expectedSlowRuns, int runs, DetectionOptions options) =>
        runs > 0 && slowRuns >= options.MinFailures && (slowRuns - expectedSlowRuns) / runs >= options.SlowRunShare;

    /// <summary>A probe's usual latency from one vantage: its baseline median, the bar a slow run is over, and how often the baseline was over it.</summary>
    private readonly record struct UsualLatency(double MedianMs, double SlowAboveMs, double SlowShare)
    {
        public static UsualLatency Of(List<double> latencies, DetectionOptions options)
        {
            var median = Percentile(latencies, 0.5);
            var bar = Math.Max(median * options.LatencyFactor, median + options.LatencyFloorMs);
            return new UsualLatency(median, bar, (double)latencies.Count(l => l > bar) / latencies.Count);
        }
    }

    /// <summary>Requests and failures of <paramref name="runs"/>, each run weighed as <see cref="Requests.Of"/> does.</summary>
    internal static AttemptCount Count(IEnumerable<ProbeResult> runs)
    {
        var count = AttemptCount.None;
        foreach (var run in runs)
        {
            var requests = Requests.Of(run);
            count += new AttemptCount(requests.Attempts, requests.Failed);
        }

        return count;
    }

    private static ConnectionSeries Series(
        List<ProbeResult> window, List<ProbeResult> before, List<ProbeResult> usual, Func<ProbeResult, bool> kind, double usualRate)
    {
        var inWindow = Count(window.Where(kind));
        return new ConnectionSeries(inWindow, inWindow + Count(before.Where(kind)), usualRate) { Usual = Count(usual.Where(kind)) };
    }

    /// <summary>
    /// A target's usual failure rate: its runs before the long window pooled over every vantage but the one failing most
    /// (a vantage that lost its own path for a while says nothing of the target), plus
    /// <see cref="DetectionOptions.PriorAttempts"/> requests at <see cref="DetectionOptions.PriorFailureRate"/>, so a
    /// target with little history (a new one, a quiet first hour) is judged against a sensible rate, never against zero.
    /// </summary>
    private static double UsualRate(IEnumerable<ProbeResult> history, DetectionOptions options)
    {
        var perVantage = history.GroupBy(r => r.Vantage, StringComparer.Ordinal).Select(Count).ToList();
        if (perVantage.Count > 1)
        {
            perVantage.Remove(perVantage.MaxBy(c => c.Ratio));
        }

        var pooled = perVantage.Aggregate(AttemptCount.None, (sum, c) => sum + c);
        return (pooled.Failed + (options.PriorFailureRate * options.PriorAttempts)) / (pooled.Attempts + options.PriorAttempts);
    }

    // The latency a run is judged by: its duration, or for a sampler's run the median of its samples.
    private static double? LatencyOf(ProbeResult run) => Requests.Of(run).LatencyMs;

    // A probe the cycle never started (its budget ran out) says something about the vantage, not the target.
    private static bool IsMeasurement(ProbeResult result) => !result.Details.ContainsKey("notRun");

    internal static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = p * (sorted.Count - 1);
        var lower = (int)Math.Floor(rank);
        var upper = (int)Math.Ceiling(rank);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (rank - lower));
    }
}
