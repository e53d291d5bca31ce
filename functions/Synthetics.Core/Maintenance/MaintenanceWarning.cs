namespace Synthetics.Maintenance;

/// <summary>
/// A warning that a provider maintenance is about to touch what is monitored, sent once per maintenance and stage (as a
/// <c>SyntheticsMaintenanceAhead</c> event, and by the alert rule as an email).
/// </summary>
/// <param name="Maintenance">The maintenance, as the status page lists it (an account notice as a window of its own).</param>
/// <param name="Stage"><c>ahead</c> (first warning, within <c>WarnAhead</c>) or <c>shortly</c> (within <c>WarnShortlyBefore</c>).</param>
/// <param name="Regions">The monitored regions it touches.</param>
/// <param name="Targets">The monitored targets in those regions (for an account notice on a NodeBalancer or cluster, the targets on it).</param>
/// <param name="Watch">What the monitor will watch meanwhile, in one line.</param>
public sealed record MaintenanceWarning(
    MaintenanceWindow Maintenance, string Stage, IReadOnlyList<string> Regions, IReadOnlyList<string> Targets, string Watch)
{
    public const string Ahead = "ahead";

    public const string Shortly = "shortly";

    /// <summary>Where it was announced: <see cref="StatusPage"/> or <see cref="AccountNotice"/>.</summary>
    public const string StatusPage = "status-page";

    /// <summary>An account notification (<c>/account/notifications</c>).</summary>
    public const string AccountNotice = "account-notice";

    /// <summary><see cref="StatusPage"/> (default) or <see cref="AccountNotice"/>.</summary>
    public string Source { get; init; } = StatusPage;

    /// <summary>For an account notice, its <c>type</c> (<c>maintenance</c>, <c>outage</c>, …) and entity, e.g. <c>maintenance on NodeBalancer ca-web (880101)</c>.</summary>
    public string? Notice { get; init; }

    /// <summary>The monitored LKE clusters it affects, e.g. <c>ca-prod (12345)</c>.</summary>
    public IReadOnlyList<string> Clusters { get; init; } = [];

    /// <summary>What of the provider's context could not be read in the run that sent it (the status page, the account), in one line; null when all was read.</summary>
    public string? SourceFailure { get; init; }

    /// <summary>One line: <c>Scheduled maintenance 'NodeBalancer improvements' (ca-central) from 2026-03-12T14:00Z to …: ca-prod-api, ca-web</c>.</summary>
    public string Summary =>
        $"{(Stage == Shortly ? "Maintenance starting soon" : "Maintenance ahead")}: '{Maintenance.Name}' ({string.Join(", ", Regions)}) " +
        $"from {Format(Maintenance.ScheduledFor) ?? "now"} to {Format(Maintenance.ScheduledUntil) ?? "an end not announced"}; affects " +
        (Clusters.Count > 0 ? $"clusters {string.Join(", ", Clusters)}; targets " : "") + string.Join(", ", Targets);

    private static string? Format(DateTimeOffset? at) =>
        at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
