using Microsoft.Extensions.Logging;
using Synthetics.Probes;
using Synthetics.Results;
using Synthetics.Storage;
using Synthetics.Targets;

namespace Synthetics.Detection;

public sealed partial class Evaluator
{
    /// <summary>
    /// A look at the cycles still running, between two evaluations: every vantage's disruption samples so far (stored by
    /// each probe cycle as it goes, <see cref="CycleProgress"/>) judged against each target's own history as the
    /// evaluation after the cycle would judge them (<see cref="JudgeInProgress"/>), and a provider-side incident opened at
    /// once where they bring evidence beyond <see cref="DetectionOptions.ImmediateAlpha"/>. It only opens: no cycle is
    /// judged, so nothing else changes (no streak, no resolution, no watermark), and the evaluation after the cycle
    /// carries the incident on. A fault that stalls a share of new connections shows in the samples seconds after its
    /// onset; the cycle's own results show it only when the cycle ends and is judged, a minute or more later, when a
    /// controller may already have lost its lease.
    /// </summary>
    /// <param name="cancellationToken">Ends the look (the cycle ended, and the evaluation after it judges the whole
    /// cycle). Once an incident is being saved, saving and telling it are not cut.</param>
    /// <returns>The incidents it opened (usually none).</returns>
    public async Task<IReadOnlyList<IncidentEvent>> LookAtCyclesInProgressAsync(CancellationToken cancellationToken)
    {
        var detection = options.Value.Detection;
        var now = timeProvider.GetUtcNow();
        // A cycle lasts at most its budget: the runs in progress started within it (two, for cycles of clocks that differ).
        var span = TimeSpan.FromSeconds(options.Value.Probing.CycleBudgetSeconds) * 2;
        var inProgress = NewestPerRun(await results.ReadWindowAsync(now - span, now + ClockSkew, cancellationToken));
        if (!WorthJudging(inProgress, detection))
        {
            return [];
        }

        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var (current, version) = await state.LoadAsync(cancellationToken);
            // A region already under a provider-side incident has nothing to open: the evaluations carry it.
            var underIncident = IncidentTracker.RegionsUnderIncident(current.Tracked);
            var window = inProgress.Where(r => !underIncident.Contains(r.Region)).ToList();
            if (!WorthJudging(window, detection))
            {
                return [];
            }

            // The window an evaluation would judge at the end of these cycles: each vantage's recorded cycles of the last
            // Detection:Window with the samples so far; only the samples so far are new evidence.
            var since = window.Min(r => r.Timestamp);
            var windowFrom = since - (detection.Window * WindowEdge);
            // One read of the cycle records serves both: the window's unjudged cycles, and the history's cycles (a cycle
            // that started up to CycleResultCache.LongestCycle before the history may still hold results inside it).
            var historyFrom = since - detection.BaselineWindow - detection.Window;
            var cyclesFrom = historyFrom - CycleResultCache.LongestCycle;
            var cycles = await results.ReadCyclesAsync(cyclesFrom, since, cancellationToken);
            var unjudged = cycles.Where(c => c.StartedAt >= windowFrom && !c.Judged).ToList();
            var history = await _history.ReadWindowAsync(historyFrom, since, (cycles, cyclesFrom, since), cancellationToken);
            var baseline = new List<ProbeResult>();
            foreach (var result in history.Where(r => r.Probe != UnresolvedTarget.Probe && !unjudged.Any(c => c.Vantage == r.Vantage && c.Contains(r.Timestamp))))
            {
                (result.Timestamp >= windowFrom && !underIncident.Contains(result.Region) ? window : baseline).Add(result);
            }

            // A vantage with nothing in progress brings no new evidence, only its recorded cycles.
            var freshSince = window.Select(r => r.Vantage).Distinct(StringComparer.Ordinal).ToDictionary(
                v => v, v => inProgress.Where(r => r.Vantage == v).Select(r => r.Timestamp).DefaultIfEmpty(DateTimeOffset.MaxValue).Min(), StringComparer.Ordinal);
            var (tracked, events) = JudgeInProgress(window, baseline, freshSince, current.Tracked, now, detection);
            if (events.Count == 0)
            {
                return [];
            }

            (tracked, events) = await AnnotateAsync(tracked, events, now, cancellationToken);
            // Not cut from here on: a save that landed must be told, or the page would be lost for good (the next
            // evaluation finds the incident open and has nothing to open).
            if (!await state.TrySaveAsync(current with { Tracked = tracked }, version, CancellationToken.None))
            {
                LogLostRace(logger, attempt);
                continue;
            }

            foreach (var opened in events)
            {
                LogOpenedInCycle(logger, opened.Incident.Id, window.Count(r => r.Region == opened.Incident.Region), window.Select(r => r.Vantage).Distinct(StringComparer.Ordinal).Count());
            }

            await TellAsync(events, CancellationToken.None);
            // The page leaves now, not when the cycle ends.
            await telemetry.FlushAsync(CancellationToken.None);
            return events;
        }

        return [];
    }

    /// <summary>
    /// What a look decides, given what it read: <paramref name="window"/> (each vantage's recorded cycles of the window and
    /// its runs in progress, which begin at <paramref name="freshSince"/>) judged against <paramref name="baseline"/> as an
    /// evaluation judges, and what is beyond doubt on the provider's side opened. Judged twice: the runs in progress alone
    /// (with the recorded cycles as history: a fault that began in this cycle is not diluted by the clean minutes before
    /// it) and with the recorded cycles of the window (a fault that began in the last cycle adds up); either opens. A
    /// vantage's own trouble is left to the evaluations, over whole cycles. Pure: the simulation in the benchmarks runs it
    /// as the evaluator does.
    /// </summary>
    internal static (IReadOnlyList<Incident> Tracked, IReadOnlyList<IncidentEvent> Events) JudgeInProgress(
        IReadOnlyCollection<ProbeResult> window,
        IReadOnlyCollection<ProbeResult> baseline,
        IReadOnlyDictionary<string, DateTimeOffset> freshSince,
        IReadOnlyList<Incident> tracked,
        DateTimeOffset now,
        DetectionOptions detection)
    {
        // Only the runs in progress are new; unless they fail from enough vantages, nothing can open.
        bool InProgress(ProbeResult r) => freshSince.TryGetValue(r.Vantage, out var since) && r.Timestamp >= since;
        var inProgress = window.Where(InProgress).ToList();
        if (!WorthJudging(inProgress, detection))
        {
            return (tracked, []);
        }

        List<ProbeResult> history = [.. baseline, .. window.Where(r => !InProgress(r))];
        var troubledSince = IncidentTracker.TroubledSince(tracked);
        var underIncident = IncidentTracker.RegionsUnderIncident(tracked);
        IEnumerable<Finding> Findings(IReadOnlyCollection<ProbeResult> judged, IReadOnlyCollection<ProbeResult> before) =>
            ScopeClassifier.Classify(WindowEvaluator.Evaluate(judged, before, detection, freshSince, troubledSince: troubledSince), detection, underIncident, detection.InCycleAlpha)
                .Where(f => f.Scope != IncidentScope.Vantage);

        // The first finding of a key that is beyond doubt opens it; the other is then already open.
        return IncidentTracker.OpenAtOnce(tracked, [.. Findings(inProgress, history), .. Findings(window, baseline)], now, detection);
    }

    /// <summary>
    /// The runs in progress among <paramref name="read"/>: per vantage, target and probe the newest partial result (a
    /// process stopped mid-cycle may leave an older one behind, which the newer one supersedes).
    /// </summary>
    private static List<ProbeResult> NewestPerRun(IEnumerable<ProbeResult> read) =>
        [.. read.Where(CycleProgress.IsPartial)
            .GroupBy(r => (r.Vantage, r.Target, r.Probe))
            .Select(run => run.MaxBy(r => r.Timestamp)!)];

    /// <summary>
    /// Whether some region's runs in progress could open anything: failures from as many vantages as an agreement needs,
    /// and <see cref="DetectionOptions.MinFailures"/> of them. Most looks end here, without reading history or state.
    /// </summary>
    private static bool WorthJudging(IReadOnlyCollection<ProbeResult> runs, DetectionOptions detection) =>
        runs.Where(r => Requests.Of(r).Failed > 0)
            .GroupBy(r => r.Region, StringComparer.Ordinal)
            .Any(region => region.Select(r => r.Vantage).Distinct(StringComparer.Ordinal).Count() >= detection.MinAgreeingVantages
                           && region.Sum(r => Requests.Of(r).Failed) >= detection.MinFailures);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning,
        Message = "Incident {IncidentId} opened from the cycles in progress ({Runs} sampler runs so far from {Vantages} vantages), before their cycles ended")]
    private static partial void LogOpenedInCycle(ILogger logger, string incidentId, int runs, int vantages);
}
