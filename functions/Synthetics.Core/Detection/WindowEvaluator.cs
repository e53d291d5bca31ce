using Synthetics.Results;

namespace Synthetics.Detection;

/// <summary>
/// Judges each target × vantage over one window: failure ratio by outcome and latency against the target's own
/// baseline. Measures nothing and remembers nothing: the same results always give the same verdicts.
/// </summary>
public static class WindowEvaluator
{
    /// <summary>
    /// Verdicts for every target × vantage seen in <paramref name="window"/> or <paramref name="baseline"/>:
    /// a pair with no result in the window is <see cref="HealthState.NoData"/>, so a silent vantage shows.
    /// </summary>
    public static IReadOnlyList<VantageVerdict> Evaluate(
        IReadOnlyCollection<ProbeResult> window, IReadOnlyCollection<ProbeResult> baseline, DetectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(options);

        var measured = window.Where(IsMeasurement).ToList();
        var targets = window.Concat(baseline)
            .GroupBy(r => r.Target, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Region, StringComparer.Ordinal);
        var vantages = window.Concat(baseline).Select(r => r.Vantage).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
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
                verdicts.Add(Judge(target, region, vantage, [.. byPair[(target, vantage)]], baselineMedians, options));
            }
        }

        return verdicts;
    }

    private static VantageVerdict Judge(
        string target,
        string region,
        string vantage,
        List<ProbeResult> runs,
        Dictionary<(string Target, string Probe, string Vantage), double> baselineMedians,
        DetectionOptions options)
    {
        var bad = runs.Where(r => !r.Success || r.Outcome == ProbeOutcome.Slow).ToList();
        var outcomes = bad.GroupBy(r => r.Outcome).ToDictionary(g => g.Key, g => g.Count());
        var failed = runs.Count(r => !r.Success);

        var slowProbes = new List<LatencyExcess>();
        foreach (var probe in runs.Where(r => r.Success).GroupBy(r => r.Probe, StringComparer.Ordinal))
        {
            if (probe.Count() < options.MinRunsForLatency || !baselineMedians.TryGetValue((target, probe.Key, vantage), out var median))
            {
                continue;
            }

            var p90 = Percentile(probe.Select(r => r.DurationMs), 0.9);
            if (p90 > Math.Max(median * options.LatencyFactor, median + options.LatencyFloorMs))
            {
                slowProbes.Add(new LatencyExcess(probe.Key, Math.Round(p90, 1), Math.Round(median, 1)));
            }
        }

        var state = runs.Count == 0 ? HealthState.NoData
            : (double)failed / runs.Count >= options.DownFailureRatio ? HealthState.Down
            : ((double)bad.Count / runs.Count >= options.DegradedFailureRatio && bad.Count >= options.MinFailures) || slowProbes.Count > 0 ? HealthState.Degraded
            : HealthState.Healthy;
        return new VantageVerdict(target, region, vantage, state, runs.Count, bad.Count, outcomes, slowProbes);
    }

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
