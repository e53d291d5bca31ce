using Synthetics.Detection;

namespace Synthetics.Alerts;

/// <summary>
/// Azure Monitor severities (0 critical … 4 verbose) for incidents: a region down pages hardest; a vantage's own
/// trouble is informational (no page): it is our problem, not the provider's.
/// </summary>
public static class IncidentSeverity
{
    public static int Of(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return (incident.Scope, incident.State) switch
        {
            (IncidentScope.Vantage, _) => 4,
            (IncidentScope.Region, HealthState.Down) => 0,
            (IncidentScope.Region, _) => 1,
            (IncidentScope.Target, HealthState.Down) => 1,
            _ => 2,
        };
    }
}
