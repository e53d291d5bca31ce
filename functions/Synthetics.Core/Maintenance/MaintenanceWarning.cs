namespace Synthetics.Maintenance;

/// <summary>
/// A warning that a provider maintenance is about to touch what is monitored, sent once per maintenance and stage (as a
/// <c>SyntheticsMaintenanceAhead</c> event, and by the alert rule as an email).
/// </summary>
/// <param name="Maintenance">The maintenance, as the status page lists it.</param>
/// <param name="Stage"><c>ahead</c> (first warning, within <c>WarnAhead</c>) or <c>shortly</c> (within <c>WarnShortlyBefore</c>).</param>
/// <param name="Regions">The monitored regions it touches.</param>
/// <param name="Targets">The monitored targets in those regions.</param>
/// <param name="Watch">What the monitor will watch meanwhile, in one line.</param>
public sealed record MaintenanceWarning(
    MaintenanceWindow Maintenance, string Stage, IReadOnlyList<string> Regions, IReadOnlyList<string> Targets, string Watch)
{
    public const string Ahead = "ahead";

    public const string Shortly = "shortly";

    /// <summary>One line: <c>Scheduled maintenance 'NodeBalancer improvements' (ca-central) from 2026-03-12T14:00Z to …: ca-prod-api, ca-web</c>.</summary>
    public string Summary =>
        $"{(Stage == Shortly ? "Maintenance starting soon" : "Maintenance ahead")}: '{Maintenance.Name}' ({string.Join(", ", Regions)}) " +
        $"from {Format(Maintenance.ScheduledFor)} to {Format(Maintenance.ScheduledUntil)}; affects {string.Join(", ", Targets)}";

    private static string Format(DateTimeOffset? at) =>
        at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture) ?? "?";
}
