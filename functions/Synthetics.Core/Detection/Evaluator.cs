using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synthetics.Alerts;
using Synthetics.Configuration;
using Synthetics.Maintenance;
using Synthetics.Storage;
using Synthetics.Targets;

namespace Synthetics.Detection;

/// <summary>
/// One evaluation: find the cycles every vantage stored since the last evaluation, read their results with each
/// vantage's recent history (the window) and the baseline before it (each cycle read from the table once:
/// <see cref="CycleResultCache"/>), judge, place, advance incidents, save the state only if no other evaluator saved
/// first, then tell: incident events to Application Insights and the history. Several evaluators (one per vantage, or
/// several <c>run</c> processes) may run on the same schedule: the first to save judges the new cycles, the others find
/// nothing new and skip, and an incident opens once.
/// </summary>
/// <remarks>
/// Evaluations follow stored cycles, not the clock: a cycle is judged by the first evaluation after its record is
/// stored (written after all its results), so neither a long cycle (the canary holds its Lease most of a minute) nor a
/// batch stored late falls between two windows, and no cycle is judged twice.
/// </remarks>
public sealed partial class Evaluator(
    IResultStore results,
    IIncidentStateStore state,
    ITelemetryPublisher telemetry,
    IMaintenanceSource maintenance,
    IOptions<SyntheticsOptions> options,
    TimeProvider timeProvider,
    ILogger<Evaluator> logger)
{
    private const int MaxAttempts = 3;

    // What this evaluator read before: each evaluation asks the table only for the cycles stored since.
    private readonly CycleResultCache _history = new(results);

    // How far ahead of this evaluator's clock a vantage's cycle may have started (clocks of separate machines differ).
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    /// <summary>Evaluates now. A failing table service throws (the next tick is the next evaluation).</summary>
    public async Task<EvaluationReport> EvaluateAsync(CancellationToken cancellationToken)
    {
        var detection = options.Value.Detection;
        var now = timeProvider.GetUtcNow();
        var (cyclesSince, cyclesUntil) = (now - detection.BaselineWindow - detection.Window, now + ClockSkew);
        var cycles = await results.ReadCyclesAsync(cyclesSince, cyclesUntil, cancellationToken);
        EvaluationReport? report = null;

        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var (current, version) = await state.LoadAsync(cancellationToken);
            var plan = EvaluationPlan.Create(cycles, current.JudgedThrough, now, detection);
            if (plan.Fresh.Count == 0)
            {
                if (detection.InCycleEvery > TimeSpan.Zero)
                {
                    // Another evaluator judged: the history is still brought up to date, so that this process's looks inside
                    // the next cycles read only the newest cycle when a fault shows, not the whole hour.
                    await _history.ReadWindowAsync(cyclesSince, now, (cycles, cyclesSince, cyclesUntil), cancellationToken);
                }

                // Nothing stored since the last evaluation (another evaluator judged it, or no cycle ended): judging
                // nothing would count as a good evaluation and break the streaks that open and resolve incidents.
                return new EvaluationReport(now, Skipped: true, 0, [], [], []) { LateCycles = plan.Late, ColdStarts = plan.ColdStarts, StalledCycles = plan.Stalled, SilentVantages = plan.Silent };
            }

            var history = await _history.ReadWindowAsync(plan.ReadSince, plan.ReadUntil, (cycles, cyclesSince, cyclesUntil), cancellationToken);
            // A target that is not probed (its kubeconfig cannot be had) says nothing of the provider: it has its own
            // event and alert rule.
            var (window, baseline) = plan.Split([.. history.Where(r => r.Probe != UnresolvedTarget.Probe)]);
            var verdicts = WindowEvaluator.Evaluate(window, baseline, detection, plan.FreshSince, plan.Silent, IncidentTracker.TroubledSince(current.Tracked));
            var findings = ScopeClassifier.Classify(verdicts, detection, IncidentTracker.RegionsUnderIncident(current.Tracked));
            var (tracked, events) = IncidentTracker.Advance(current.Tracked, findings, now, detection);
            (tracked, events) = await AnnotateAsync(tracked, events, now, cancellationToken);
            if (!await state.TrySaveAsync(new DetectionState(tracked, now, plan.JudgedThrough), version, cancellationToken))
            {
                LogLostRace(logger, attempt);
                report = new EvaluationReport(now, Skipped: true, window.Count, verdicts, findings, []);
                continue;
            }

            if (plan.Late > 0)
            {
                LogLateCycles(logger, plan.Late);
            }

            var tooFew = TooFewToJudge(verdicts, detection);
            var said = string.Join(", ", tooFew.Select(t => t.Target));
            if (!string.Equals(Interlocked.Exchange(ref _tooFewSaid, said), said, StringComparison.Ordinal) && tooFew.Count > 0)
            {
                LogTooFewToJudge(logger, string.Join(", ", tooFew.Select(t => $"{t.Target} ({t.Attempts})")), detection.LongWindow.TotalMinutes, MinimumRequests(detection), detection.DegradedFailureRatio);
            }

            await TellAsync(events, cancellationToken);

            return new EvaluationReport(now, Skipped: false, window.Count, verdicts, findings, events)
            {
                CyclesJudged = plan.Fresh.Count,
                ColdStarts = plan.ColdStarts,
                StalledCycles = plan.Stalled,
                LateCycles = plan.Late,
                SilentVantages = plan.Silent,
                TooFewToJudge = [.. tooFew.Select(t => t.Target)],
            };
        }

        return report ?? new EvaluationReport(now, Skipped: true, 0, [], [], []);
    }

    /// <summary>Tells each event: the alert to Application Insights first, then the history (evidence).</summary>
    private async Task TellAsync(IReadOnlyList<IncidentEvent> events, CancellationToken cancellationToken)
    {
        foreach (var incidentEvent in events)
        {
            // The alert first: the history row is evidence, and a failure to keep it must not silence the page.
            telemetry.PublishIncident(incidentEvent);
            LogIncident(logger, incidentEvent.Kind.ToString(), incidentEvent.Incident.Id, incidentEvent.Incident.Summary, IncidentNotice.Cause(incidentEvent.Incident));
            try
            {
                await state.RecordAsync(incidentEvent, cancellationToken);
            }
            catch (Azure.RequestFailedException ex)
            {
                LogHistoryLost(logger, incidentEvent.Incident.Id, ex.Status);
            }
        }
    }

    /// <summary>
    /// Names the provider maintenance that overlaps an incident when it opens, and whose side it is likely on (the
    /// account's own changes, the provider's notices): read only then, as context.
    /// </summary>
    private async Task<(IReadOnlyList<Incident>, IReadOnlyList<IncidentEvent>)> AnnotateAsync(
        IReadOnlyList<Incident> tracked, IReadOnlyList<IncidentEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!events.Any(e => e.Kind == IncidentEventKind.Opened && e.Incident.Region is not null))
        {
            return (tracked, events);
        }

        var windows = await maintenance.GetAsync(cancellationToken);
        string? Overlapping(Incident incident) => incident.Region is { } region
            ? windows.Where(w => w.Touches(region) && w.CoversTime(incident.FirstSeenAt))
                .Select(w => $"{w.Name} ({w.Status}) on {string.Join(", ", w.Components.Where(c => c.Region == region).Select(c => c.Name))}")
                .FirstOrDefault()
            : null;

        var annotated = new List<IncidentEvent>(events.Count);
        foreach (var e in events)
        {
            if (e.Kind != IncidentEventKind.Opened || e.Incident.Region is null)
            {
                annotated.Add(e);
                continue;
            }

            var note = Overlapping(e.Incident);
            var context = await maintenance.GetIncidentContextAsync(e.Incident, now, cancellationToken);
            var (attribution, changes) = IncidentAttribution.Of(note, context);
            annotated.Add(e with { Incident = e.Incident with { ProviderMaintenance = note ?? context.ProviderNotice, Attribution = attribution, CustomerChanges = changes } });
        }

        var byId = annotated.Where(e => e.Kind == IncidentEventKind.Opened).ToDictionary(e => e.Incident.Key, e => e.Incident, StringComparer.Ordinal);
        return ([.. tracked.Select(i => byId.TryGetValue(i.Key, out var withNote) ? withNote : i)], annotated);
    }

    // The targets last said to be too thin to judge: said again only when the set changes, not every minute.
    private string _tooFewSaid = "";

    /// <summary>
    /// Requests a target needs over the long window, pooled over its vantages, before the smallest failure share that can
    /// make it degraded (<see cref="DetectionOptions.DegradedFailureRatio"/>) is <see cref="DetectionOptions.MinFailures"/>
    /// failures: fewer, and a fault of that share cannot show.
    /// </summary>
    internal static int MinimumRequests(DetectionOptions detection) => (int)Math.Ceiling(detection.MinFailures / detection.DegradedFailureRatio);

    /// <summary>Targets probed in this window whose requests over the long window are too few to see a fault of the smallest share detection judges.</summary>
    internal static List<(string Target, int Attempts)> TooFewToJudge(IReadOnlyList<VantageVerdict> verdicts, DetectionOptions detection) =>
        [.. verdicts.Where(v => v.State != HealthState.NoData)
            .GroupBy(v => v.Target, StringComparer.Ordinal)
            .Select(g => (Target: g.Key, Attempts: g.Sum(v => v.NewConnections.OverLongWindow.Attempts)))
            .Where(t => t.Attempts < MinimumRequests(detection))
            .OrderBy(t => t.Target, StringComparer.Ordinal)];

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning,
        Message = "Too few requests to judge: {Targets} over {LongWindowMinutes} min, where {Needed} are needed to see {Share:P1} of them failing; a fault that small on these targets cannot show (turn the disruption sampler on, or probe more often)")]
    private static partial void LogTooFewToJudge(ILogger logger, string targets, double longWindowMinutes, int needed, double share);

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Incident {Kind}: {IncidentId}: {Summary}{Cause}")]
    private static partial void LogIncident(ILogger logger, string kind, string incidentId, string summary, string cause);

    [LoggerMessage(EventId = 202, Level = LogLevel.Error, Message = "Incident {IncidentId} was published but its history row could not be written ({Status})")]
    private static partial void LogHistoryLost(ILogger logger, string incidentId, int status);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning,
        Message = "{Cycles} cycles were stored too late to judge (older than the baseline window); their results are kept for evidence")]
    private static partial void LogLateCycles(ILogger logger, int cycles);

    [LoggerMessage(EventId = 201, Level = LogLevel.Debug, Message = "Another evaluator saved detection state first (attempt {Attempt}); evaluating again on its state")]
    private static partial void LogLostRace(ILogger logger, int attempt);
}
