using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Synthetics.Results;

namespace Synthetics.Detection;

/// <summary>
/// The <c>run --format json</c> line for an incident event (contract: DESIGN §5):
/// <c>{"type":"incident","event":"opened|updated|resolved","id":…,"scope":"target|region|vantage","region":…,
/// "targets":[…],"vantages":[…],"state":"degraded|down","leadingOutcome":…,"openedAt":…,"at":…}</c>.
/// </summary>
public static class IncidentEventJson
{
    public static string Serialize(IncidentEvent incidentEvent)
    {
        ArgumentNullException.ThrowIfNull(incidentEvent);
        var incident = incidentEvent.Incident;
        var line = new Line(
            "incident",
            incidentEvent.Kind,
            incident.Id,
            incident.Scope,
            incident.Region,
            incident.Targets,
            incident.Vantages,
            incident.State == HealthState.Down ? "down" : "degraded",
            incident.LeadingOutcome?.ToContractName(),
            incident.OpenedAt is { } opened ? Format(opened) : null,
            Format(incidentEvent.At),
            incident.Summary,
            incident.Attribution,
            incident.CustomerChanges);
        return JsonSerializer.Serialize(line, ProbeResultJson.Options);
    }

    private static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed record Line(
        string Type,
        [property: JsonPropertyName("event")] IncidentEventKind Event,
        string Id,
        IncidentScope Scope,
        string? Region,
        IReadOnlyList<string> Targets,
        IReadOnlyList<string> Vantages,
        string State,
        string? LeadingOutcome,
        string? OpenedAt,
        string At,
        string Summary,
        string? Attribution,
        IReadOnlyList<string> CustomerChanges);
}
