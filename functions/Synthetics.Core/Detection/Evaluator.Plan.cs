using Synthetics.Results;
using Synthetics.Storage;

namespace Synthetics.Detection;

public sealed partial class Evaluator
{
    // The share of the window that counts as its edge: ticks jitter by milliseconds, and a cycle that started one whole
    // window before the newest is outside it.
    private const double WindowEdge = 0.98;

    // A vantage not heard from in this long is forgotten: no longer reported as silent (a vantage point removed for good).
    private static readonly TimeSpan ForgetVantageAfter = TimeSpan.FromDays(1);

    /// <summary>
    /// Which stored cycles one evaluation judges, and how it reads them: per vantage, the cycles after its watermark
    /// (fresh), with the cycles that started within <see cref="DetectionOptions.Window"/> before the newest of them
    /// (the window), and the baseline before that.
    /// </summary>
    private sealed class EvaluationPlan
    {
        private readonly Dictionary<string, (DateTimeOffset From, DateTimeOffset To)> _windows = new(StringComparer.Ordinal);
        private readonly List<(string Vantage, DateTimeOffset From, DateTimeOffset To)> _unjudged = [];

        public List<CycleRecord> Fresh { get; } = [];

        public Dictionary<string, DateTimeOffset> FreshSince { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, DateTimeOffset> JudgedThrough { get; } = new(StringComparer.Ordinal);

        public List<string> Silent { get; } = [];

        public int Late { get; private set; }

        public int ColdStarts { get; private set; }

        public int Stalled { get; private set; }

        public DateTimeOffset ReadSince { get; private set; } = DateTimeOffset.MaxValue;

        public DateTimeOffset ReadUntil { get; private set; } = DateTimeOffset.MinValue;

        public static EvaluationPlan Create(
            IReadOnlyList<CycleRecord> cycles, IReadOnlyDictionary<string, DateTimeOffset> judgedThrough, DateTimeOffset now, DetectionOptions detection)
        {
            var plan = new EvaluationPlan();
            var byVantage = cycles.ToLookup(c => c.Vantage, StringComparer.Ordinal);
            foreach (var vantage in byVantage.Select(g => g.Key).Union(judgedThrough.Keys, StringComparer.Ordinal))
            {
                var own = byVantage[vantage].OrderBy(c => c.StartedAt).ToList();
                var watermark = judgedThrough.TryGetValue(vantage, out var judged) ? judged : (DateTimeOffset?)null;
                var newest = own.Count > 0 ? own[^1].StartedAt : watermark!.Value;
                if (now - newest > ForgetVantageAfter)
                {
                    continue;
                }

                // A vantage whose cycles are all unjudged (a process that stalls in every cycle, or restarts before its
                // second) measures nothing anyone can judge: silent as surely as one that stopped.
                var lastJudged = own.LastOrDefault(c => c.Judged)?.StartedAt ?? (own.Count > 0 ? own[0].StartedAt : newest);
                if (now - newest > detection.SilentAfter || now - lastJudged > detection.SilentAfter)
                {
                    plan.Silent.Add(vantage);
                }

                // A vantage seen for the first time brings its recent window, judged at once.
                var fresh = own.Where(c => watermark is { } w ? c.StartedAt > w : c.StartedAt > newest - (detection.Window * WindowEdge)).ToList();
                var late = fresh.Count(c => now - c.StartedAt > detection.BaselineWindow);
                plan.Late += late;
                fresh = fresh.Where(c => now - c.StartedAt <= detection.BaselineWindow).ToList();
                plan.JudgedThrough[vantage] = Max(watermark ?? DateTimeOffset.MinValue, fresh.Count > 0 ? fresh[^1].StartedAt : newest);
                // A process's first cycle measured its own start as much as the targets, and a cycle it stalled in measured
                // the stall: kept for evidence, never judged.
                plan._unjudged.AddRange(own.Where(c => !c.Judged).Select(c => (vantage, c.StartedAt, c.EndedAt)));
                plan.ColdStarts += fresh.Count(c => c.ColdStart);
                plan.Stalled += fresh.Count(c => c.Stalled && !c.ColdStart);
                fresh = fresh.Where(c => c.Judged).ToList();
                if (fresh.Count == 0)
                {
                    continue;
                }

                var newestFresh = fresh[^1];
                var from = own.Where(c => c.StartedAt > newestFresh.StartedAt - (detection.Window * WindowEdge)).Min(c => c.StartedAt);
                plan.Fresh.AddRange(fresh);
                plan.FreshSince[vantage] = fresh[0].StartedAt;
                plan._windows[vantage] = (from, newestFresh.EndedAt);
                plan.ReadSince = Min(plan.ReadSince, from - detection.BaselineWindow);
                plan.ReadUntil = Max(plan.ReadUntil, newestFresh.EndedAt.AddTicks(1));
            }

            plan.Silent.Sort(StringComparer.Ordinal);
            return plan;
        }

        /// <summary>The judged vantages' runs inside their windows, and every other run read (the baselines).</summary>
        public (List<ProbeResult> Window, List<ProbeResult> Baseline) Split(IReadOnlyList<ProbeResult> history)
        {
            var window = new List<ProbeResult>();
            var baseline = new List<ProbeResult>();
            foreach (var result in history)
            {
                if (_unjudged.Any(c => c.Vantage == result.Vantage && result.Timestamp >= c.From && result.Timestamp <= c.To))
                {
                    continue;
                }

                if (_windows.TryGetValue(result.Vantage, out var span) && result.Timestamp >= span.From)
                {
                    if (result.Timestamp <= span.To)
                    {
                        window.Add(result);
                    }
                }
                else
                {
                    baseline.Add(result);
                }
            }

            return (window, baseline);
        }

        private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

        private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
    }
}
