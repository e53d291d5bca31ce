using System.Globalization;
using System.Text;
using Synthetics.Detection;
using Synthetics.Maintenance;
using Synthetics.Results;

namespace Synthetics.Alerts;

/// <summary>
/// What on-call reads: a subject line and a short plain-text body saying what is wrong, where, since when, seen from
/// where, what the provider says, and what to do next. Used by the CLI and as the incident event's notice.
/// </summary>
public static class IncidentNotice
{
    public static string Subject(IncidentEvent incidentEvent)
    {
        ArgumentNullException.ThrowIfNull(incidentEvent);
        var incident = incidentEvent.Incident;
        var what = incident.Scope switch
        {
            IncidentScope.Region => $"region {incident.Region} {StateWord(incident)}",
            IncidentScope.Target => $"{string.Join(", ", incident.Targets)} {StateWord(incident)}",
            _ => $"vantage point {string.Join(", ", incident.Vantages)} unhealthy (monitor side, no page)",
        };
        var verb = incidentEvent.Kind switch
        {
            IncidentEventKind.Opened => "OPENED",
            IncidentEventKind.Updated => "UPDATED",
            _ => "RESOLVED",
        };
        return $"[LKE Synthetics] {verb} sev{IncidentSeverity.Of(incident)}: {what}";
    }

    public static string Body(IncidentEvent incidentEvent)
    {
        ArgumentNullException.ThrowIfNull(incidentEvent);
        var incident = incidentEvent.Incident;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"What:      {incident.Summary}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Scope:     {incident.Scope.ToString().ToLowerInvariant()}{(incident.Region is { } r ? $" {r}" : "")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Targets:   {string.Join(", ", incident.Targets)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Seen from: {string.Join(", ", incident.Vantages)}");
        if (incident.Outcomes.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Outcomes:  {Outcomes(incident)}");
        }

        foreach (var slow in incident.Latency)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Latency:   {slow.Probe} p90 {slow.P90Ms:0} ms against a baseline of {slow.BaselineMedianMs:0} ms");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Since:     {Format(incident.FirstSeenAt)} (first bad evaluation)");
        if (incident.ResolvedAt is { } resolved)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Resolved:  {Format(resolved)}, after {(resolved - incident.FirstSeenAt).TotalMinutes:0} min");
        }

        if (incident.ProviderMaintenance is { } maintenance)
        {
            // The status page is read when an incident opens; by its resolution the maintenance has usually moved on.
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Provider:  maintenance {maintenance}{(incident.ResolvedAt is null ? "" : ", as the status page showed it when the incident opened")}");
        }

        if (incident.CustomerChanges.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Customer:  your own change overlaps it: {string.Join("; ", incident.CustomerChanges)}");
        }

        if (incident.Attribution is { } attribution)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Cause:     {AttributionText(attribution)}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Incident:  {incident.Id}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Evidence:  {EvidenceCommand(incident)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"           or GET {EvidencePath(incident)} on the Function App, with a function key");
        text.Append(CultureInfo.InvariantCulture, $"Next:      {NextStep(incident)}");
        return text.ToString();
    }

    /// <summary>
    /// The command that writes the incident's evidence report for the provider's support, e.g.
    /// <c>dotnet run --project functions/Synthetics.Cli -- evidence --config synthetics.json --incident 'provider:ca-central@20260312T140200Z' --out evidence.html</c>.
    /// </summary>
    public static string EvidenceCommand(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return $"dotnet run --project functions/Synthetics.Cli -- evidence --config synthetics.json --incident {ShellQuote(incident.Id)} --out evidence.html";
    }

    /// <summary>
    /// Both ways to the incident's evidence report in one short line, for the alert email:
    /// <c>evidence --incident 'ID' (CLI) or GET /api/evidence?incident=ID (function key)</c>.
    /// </summary>
    public static string EvidenceReference(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return $"evidence --incident {ShellQuote(incident.Id)} (CLI) or GET {EvidencePath(incident)} (Function App, function key)";
    }

    /// <summary>The Function App's evidence path for the incident (the function key goes in <c>code=</c> or <c>x-functions-key</c>).</summary>
    public static string EvidencePath(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return $"/api/evidence?incident={Uri.EscapeDataString(incident.Id)}";
    }

    // Ids hold ':' and '@' (harmless to a shell) and come from region and target names: quoted all the same.
    private static string ShellQuote(string value) => $"'{value.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    /// <summary>Failures by outcome, most frequent first, e.g. <c>timeout 17, reset 6</c>; empty when none.</summary>
    public static string Outcomes(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return string.Join(", ", incident.Outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key.ToContractName()} {o.Value}"));
    }

    /// <summary>What on-call does next: the notice's last line, and the alert email's.</summary>
    public static string NextStep(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return incident.Scope switch
        {
            IncidentScope.Vantage => "nothing for the provider; check the vantage point's own network and the Function App.",
            _ when incident.Attribution == IncidentAttribution.Customer =>
                "check your own change named above first (roll it back, or wait for it to finish); open a ticket with the provider only if the problem outlasts it.",
            _ when incident.ProviderMaintenance is not null => "open a ticket with the provider citing the maintenance above and this incident's id; the workbook holds its results.",
            _ => "check the workbook for the phases that slowed; open a ticket with the provider citing this incident's id.",
        };
    }

    /// <summary>
    /// The attribution for a log line, appended to the summary: <c>; likely customer-side: lke_cluster_update on …</c>,
    /// <c>; provider-side: NodeBalancer improvements …</c>, or nothing when unknown or not decided.
    /// </summary>
    public static string Cause(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return incident.Attribution switch
        {
            IncidentAttribution.Customer => $"; likely customer-side: {string.Join("; ", incident.CustomerChanges)}",
            IncidentAttribution.Provider => $"; provider-side: {incident.ProviderMaintenance}",
            _ => "",
        };
    }

    private static string AttributionText(string attribution) => attribution switch
    {
        IncidentAttribution.Customer => "customer (likely): the account's own change overlaps it",
        IncidentAttribution.Provider => "provider: a provider maintenance or notice overlaps it",
        _ => "unknown: no provider maintenance and no change of the account overlaps it",
    };

    private static string StateWord(Incident incident) => incident.State == HealthState.Down ? "DOWN" : "degraded";

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
