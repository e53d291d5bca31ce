using Synthetics.Results;
using Synthetics.Storage;

namespace Synthetics.Explain;

internal sealed partial class EvidenceBuilder
{
    /// <summary>Probes whose duration is a hold time, not a latency: the canary holds its Lease, the watch stays open.</summary>
    private static readonly HashSet<string> HeldProbes = new(StringComparer.Ordinal) { "lease-canary", "watch" };

    /// <summary>Per minute and target, in time order, then target order.</summary>
    private static List<TimelineMinute> Minutes(IEnumerable<ProbeResult> results) =>
        [.. results
            .GroupBy(r => (Minute: MinuteOf(r.Timestamp), r.Target))
            .OrderBy(g => g.Key.Minute).ThenBy(g => g.Key.Target, StringComparer.Ordinal)
            .Select(g => new TimelineMinute(g.Key.Minute, g.Key.Target, g.Count(), g.Count(r => !r.Success), Percentile(Latencies(g), 0.9)))];

    private static RegionTimeline Pooled(string region, IReadOnlyList<ProbeResult> results) => new(
        region,
        [.. results.Select(r => r.Target).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        results.Count,
        results.Count(r => !r.Success),
        [.. results
            .GroupBy(r => MinuteOf(r.Timestamp))
            .OrderBy(g => g.Key)
            .Select(g => new TimelineMinute(g.Key, "*", g.Count(), g.Count(r => !r.Success), Percentile(Latencies(g), 0.9)))]);

    private static List<TargetBaseline> Baselines(IReadOnlyList<ProbeResult> subject, ReportScope scope) =>
        [.. subject
            .GroupBy(r => (r.Target, r.Vantage))
            .OrderBy(g => g.Key.Target, StringComparer.Ordinal).ThenBy(g => g.Key.Vantage, StringComparer.Ordinal)
            .Select(g =>
            {
                // Without a problem window the whole range is the "before": the target's own normal.
                var before = g.Where(r => scope.ProblemFrom is not { } from || r.Timestamp < from).ToList();
                var during = scope.ProblemFrom is { } start
                    ? g.Where(r => r.Timestamp >= start && r.Timestamp <= (scope.ProblemTo ?? DateTimeOffset.MaxValue)).ToList()
                    : [];
                return new TargetBaseline(g.Key.Target, g.Key.Vantage, Figures(before), Figures(during));
            })];

    private static PeriodFigures Figures(List<ProbeResult> results)
    {
        if (results.Count == 0)
        {
            return PeriodFigures.Empty;
        }

        var latencies = Latencies(results);
        return new PeriodFigures(results.Count, results.Count(r => !r.Success), Percentile(latencies, 0.5), Percentile(latencies, 0.9));
    }

    private static List<MonitorHealth> Monitor(IReadOnlyList<CycleRecord> cycles, IReadOnlyList<string> vantages)
    {
        var health = new List<MonitorHealth>();
        foreach (var vantage in vantages)
        {
            var own = cycles.Where(c => c.Vantage == vantage).OrderBy(c => c.StartedAt).ToList();
            if (own.Count == 0)
            {
                continue;
            }

            var gaps = own.Zip(own.Skip(1), (a, b) => (b.StartedAt - a.StartedAt).TotalSeconds).ToList();
            var durations = own.Select(c => c.Duration.TotalSeconds).ToList();
            health.Add(new MonitorHealth(
                vantage,
                own.Count,
                own.Count(c => c.ColdStart),
                own.Sum(c => c.Results),
                own.Sum(c => c.Failed),
                Percentile(durations, 0.5) ?? 0,
                durations.Max(),
                Percentile(gaps, 0.5),
                gaps.Count == 0 ? null : gaps.Max(),
                own[0].StartedAt,
                own[^1].StartedAt)
            {
                StalledCycles = own.Count(c => c.Stalled),
                LongestStallSeconds = own.Max(c => c.LongestStall).TotalSeconds,
            });
        }

        return health;
    }

    private static List<double> Latencies(IEnumerable<ProbeResult> results) =>
        [.. results.Where(r => r.Success && !HeldProbes.Contains(r.Probe)).Select(r => r.DurationMs)];

    /// <summary>Nearest-rank percentile (0–1) of <paramref name="values"/>; null when empty.</summary>
    internal static double? Percentile(IReadOnlyCollection<double> values, double quantile)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(quantile * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private static DateTimeOffset MinuteOf(DateTimeOffset timestamp) =>
        new(timestamp.UtcTicks - (timestamp.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
}
