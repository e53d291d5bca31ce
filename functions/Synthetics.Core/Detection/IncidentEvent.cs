namespace Synthetics.Detection;

/// <summary>An incident opened, changed or resolved at <paramref name="At"/>: what alerts and the CLI report.</summary>
public sealed record IncidentEvent(IncidentEventKind Kind, Incident Incident, DateTimeOffset At);
