using Synthetics.Results;

namespace Synthetics.Detection;

/// <summary>
/// Judges each target × vantage over one window: failed runs, and runs slower than the same probe's baseline from the
/// same vantage, count as bad. Measures nothing and remembers nothing: the same results always give the same verdicts.
/// </summary>
public static class WindowEvaluator
{
    /// <summary>
    /// Verdicts for every target seen in <paramref name="window"/> or <paramref name="baseline"/>, from every vantage
    /// with results in the window (a target it did not probe is <see cref="HealthState.NoData"/>) and from every
    /// <paramref name="silent"/> vantage (all <see cref="HealthState.NoData"/>, so a vantage that stopped shows).
    /// </summary>
    /// <param name="window">The runs judged.</param>
    /// <param name="baseline">Earlier runs: each probe's latency baseline per vantage.</param>
    /// <param name="options">Thresholds.</param>
    /// <param name="freshSince">Per vantage, where the runs no earlier evaluation judged begin; a vantage not in it
    /// (or no map) has only fresh runs. Bad runs among the fresh ones are <see cref="VantageVerdict.FreshFailures"/>.</param>
    /// <param name="silent">Vantages that stopped producing cycles.</param>
    public static IReadOnlyList<VantageVerdict> Evaluate(
        IReadOnlyCollection<ProbeResult> window,
        IReadOnlyCollection<ProbeResult> baseline,
        DetectionOptions options,
        IReadOnlyDictionary<string, DateTimeOffset>? freshSince = null,
        IReadOnlyCollection<string>? silent = null)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(options);

        var measured = window.Where(IsMeasurement).ToList();
        var targets = window.Concat(baseline)
            .GroupBy(r => r.Target, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Region, StringComparer.Ordinal);
        var silentSet = (silent ?? []).ToHashSet(StringComparer.Ordinal);
        var vantages = window.Select(r => r.Vantage).Concat(silentSet).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var baselineMedians = baseline.Where(r => IsMeasurement(r) && r.Success)
            .GroupBy(r => (r.Target, r.Probe, r.Vantage))
            .Where(g => g.Count() >= options.MinRunsForLatency)
            .ToDictionary(g => g.Key, g => Percentile(g.Select(r => r.DurationMs), 0.5));
        var byPair = measured.ToLookup(r => (r.Target, r.Vantage));

        var verdicts = new List<VantageVerdict>();
        foreach (var (target, region) in targets.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            foreach (var vantage in vantages)
            {
                var runs = silentSet.Contains(vantage) ? [] : byPair[(target, vantage)].ToList();
                var fresh = freshSince is not null && freshSince.TryGetValue(vantage, out var since) ? since : DateTimeOffset.MinValue;
                verdicts.Add(Judge(target, region, vantage, runs, fresh, baselineMedians, options));
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
        Dictionary<(string Target, string Probe, string Vantage), double> baselineMedians,
        DetectionOptions options)
    {
        // A run slower than its own probe's usual from this vantage is as bad as a failure: one run a minute per probe
        // is all the shipped cadence gives, so latency is judged run by run against the baseline, not by a percentile
        // of runs the window does not have.
        bool SlowAgainstBaseline(ProbeResult run) =>
            run.Success
            && baselineMedians.TryGetValue((target, run.Probe, vantage), out var median)
            && run.DurationMs > Math.Max(median * options.LatencyFactor, median + options.LatencyFloorMs);

        var bad = runs.Where(r => !r.Success || r.Outcome == ProbeOutcome.Slow || SlowAgainstBaseline(r)).ToList();
        var outcomes = bad.Where(r => !r.Success || r.Outcome == ProbeOutcome.Slow)
            .GroupBy(r => r.Outcome)
            .ToDictionary(g => g.Key, g => g.Count());
        var slowProbes = bad.Where(SlowAgainstBaseline)
            .GroupBy(r => r.Probe, StringComparer.Ordinal)
            .Select(p => new LatencyExcess(
                p.Key,
                Math.Round(Percentile(runs.Where(r => r.Success && r.Probe == p.Key).Select(r => r.DurationMs), 0.9), 1),
                Math.Round(baselineMedians[(target, p.Key, vantage)], 1)))
            .OrderBy(p => p.Probe, StringComparer.Ordinal)
            .ToList();
        var failed = runs.Count(r => !r.Success);

        var slow = bad.Count - failed;
        var state = runs.Count == 0 ? HealthState.NoData
            : (double)failed / runs.Count >= options.DownFailureRatio ? HealthState.Down
            : (failed >= options.MinFailures && (double)failed / runs.Count >= options.DegradedFailureRatio)
              || IsSlow(slow, runs.Count, options) ? HealthState.Degraded
            : HealthState.Healthy;
        return new VantageVerdict(target, region, vantage, state, runs.Count, bad.Count, outcomes, slowProbes, bad.Count(r => r.Timestamp >= freshSince));
    }

    /// <summary>
    /// Whether <paramref name="slowRuns"/> of <paramref name="runs"/> make a view slow: at least
    /// <see cref="DetectionOptions.MinFailures"/> and <see cref="DetectionOptions.SlowRunShare"/> of the runs. Latency has a
    /// long tail everywhere (a stalled host, a congested path): a few slow runs are noise, a provider's slowdown slows most.
    /// </summary>
    internal static bool IsSlow(int slowRuns, int runs, DetectionOptions options) =>
        runs > 0 && slowRuns >= options.MinFailures && (double)slowRuns / runs >= options.SlowRunShare;

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
