using System.Globalization;
using System.Text;
using Synthetics.Detection;
using Synthetics.Lab.Kubernetes;
using Synthetics.Results;

namespace Synthetics.Cli.Demo;

/// <summary>What one demo saw, for its closing summary and for the tests.</summary>
/// <param name="Scenario">The lab scenario played.</param>
/// <param name="Onset">When the scenario's trouble began (lab clock).</param>
/// <param name="FaultEnd">When it ended.</param>
/// <param name="Events">Every incident event, in order, whichever vantage's evaluator performed it.</param>
/// <param name="Evaluations">Evaluations that stood (not skipped for want of anything new to judge), in order.</param>
/// <param name="Cycles">Probe cycles run, all vantages.</param>
/// <param name="AvailabilityByVantage">Availability results the lab's Application Insights receiver got, by run location.</param>
/// <param name="TelemetryEvents">Custom events the receiver got, by name.</param>
internal sealed record DemoSummary(
    string Scenario,
    DateTimeOffset Onset,
    DateTimeOffset FaultEnd,
    IReadOnlyList<IncidentEvent> Events,
    IReadOnlyList<DateTimeOffset> Evaluations,
    int Cycles,
    IReadOnlyDictionary<string, int> AvailabilityByVantage,
    IReadOnlyDictionary<string, int> TelemetryEvents)
{
    /// <summary>The evidence reports written, one per incident opened (HTML; a JSON beside each): empty without an evidence directory.</summary>
    public IReadOnlyList<string> EvidenceReports { get; init; } = [];

    /// <summary>
    /// Each lab cluster's bystander controller (cert-manager's leader election) by Linode region: every election it won
    /// and lost during the run. Empty when the lab ran without bystanders.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<BystanderLeaseEvent>> Bystanders { get; init; } =
        new Dictionary<string, IReadOnlyList<BystanderLeaseEvent>>();

    /// <summary>The prefix of the run's tables (<c>…ByTarget</c>, <c>…Cycles</c>, <c>…Incidents</c>) in the table service.</summary>
    public string TablePrefix { get; init; } = "";

    public IReadOnlyList<IncidentEvent> Opened => [.. Events.Where(e => e.Kind == IncidentEventKind.Opened)];

    public IReadOnlyList<IncidentEvent> Resolved => [.. Events.Where(e => e.Kind == IncidentEventKind.Resolved)];

    /// <summary>The first incident that pages (target or region), else the first vantage incident, else null.</summary>
    public IncidentEvent? Detection =>
        Opened.FirstOrDefault(e => e.Incident.Scope != IncidentScope.Vantage) ?? (Opened.Count > 0 ? Opened[0] : null);

    /// <summary>From the onset to <see cref="Detection"/>, or null when nothing opened.</summary>
    public TimeSpan? DetectionLatency => Detection is { } detection ? detection.At - Onset : null;

    /// <summary>Evaluations after the onset up to and including the one that opened <see cref="Detection"/>, or null.</summary>
    public int? EvaluationsToDetect => Detection is { } detection
        ? Evaluations.Count(at => at > Onset && at <= detection.At)
        : null;

    /// <summary>The closing summary, as printed.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Summary of {Scenario}: trouble {Clock(Onset)}–{Clock(FaultEnd)}, {Cycles} probe cycles, {Evaluations.Count} evaluations");
        if (Opened.Count == 0)
        {
            text.AppendLine("  incidents: none opened");
        }

        foreach (var opened in Opened)
        {
            var incident = opened.Incident;
            var resolved = Resolved.FirstOrDefault(r => r.Incident.Id == incident.Id);
            var resolution = resolved is null
                ? "still open"
                : $"resolved {Clock(resolved.At)} ({Seconds(resolved.At - FaultEnd)} after the faults cleared)";
            // An incident that widened (a second target joined) says so: the page went out at the narrower scope.
            var widened = Events.FirstOrDefault(e => e.Incident.Id == incident.Id && e.Incident.Scope != incident.Scope);
            var scope = incident.Scope.ToString().ToLowerInvariant()
                        + (widened is null ? "" : $" → {widened.Incident.Scope.ToString().ToLowerInvariant()} at {Clock(widened.At)}");
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  incident {incident.Id}: scope {scope}{(incident.Region is { } r ? $" {r}" : "")}, " +
                $"{incident.State.ToString().ToLowerInvariant()}, leading {incident.LeadingOutcome?.ToContractName() ?? "latency"}, " +
                $"opened {Clock(opened.At)} ({Seconds(opened.At - Onset)} after onset), {resolution}");
        }

        if (DetectionLatency is { } latency)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  detection latency ({Detection!.Incident.Scope.ToString().ToLowerInvariant()}): {Seconds(latency)} from onset, {EvaluationsToDetect} evaluations");
        }

        text.AppendLine(CultureInfo.InvariantCulture,
            $"  Application Insights (lab receiver): availability results {string.Join(", ", AvailabilityByVantage.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"))}");
        text.Append(string.Create(CultureInfo.InvariantCulture,
            $"  Application Insights events: {(TelemetryEvents.Count == 0 ? "none" : string.Join(", ", TelemetryEvents.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}")))}"));
        return text.ToString();
    }

    internal static string Clock(DateTimeOffset value) => value.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan value) => string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0} s");
}
