namespace Synthetics.Maintenance;

/// <summary>A provider's scheduled maintenance, with the regions and services it touches.</summary>
public sealed record MaintenanceWindow
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary><c>scheduled</c>, <c>in_progress</c>, <c>verifying</c> or <c>completed</c>.</summary>
    public required string Status { get; init; }

    public DateTimeOffset? ScheduledFor { get; init; }

    public DateTimeOffset? ScheduledUntil { get; init; }

    /// <summary>When the provider marked it completed (<c>resolved_at</c>); null while it is not.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>
    /// When the provider announced it (<c>created_at</c>); null when unknown. The SLA exempts a maintenance announced at
    /// least 24 hours ahead of its start.
    /// </summary>
    public DateTimeOffset? AnnouncedAt { get; init; }

    public IReadOnlyList<ProviderComponent> Components { get; init; } = [];

    /// <summary>Link to the provider's page for it.</summary>
    public string? Shortlink { get; init; }

    public IReadOnlyList<string> Regions => [.. Components.Select(c => c.Region).OfType<string>().Distinct(StringComparer.Ordinal)];

    /// <summary>Whether it concerns <paramref name="region"/>.</summary>
    public bool Touches(string region) => Components.Any(c => string.Equals(c.Region, region, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Whether it is in progress, or scheduled to be, at <paramref name="at"/>; a completed one, whether
    /// <paramref name="at"/> fell between its start and its completion (an incident first seen during the work, opened
    /// after the provider called it done, still overlaps it).
    /// </summary>
    public bool CoversTime(DateTimeOffset at) =>
        Status is "in_progress" or "verifying"
        || (ScheduledFor is { } from && End is { } end && at >= from && at <= end);

    /// <summary>The end of its window: when it completed, if it has; else when it is scheduled to end.</summary>
    private DateTimeOffset? End => Status == "completed" ? ResolvedAt ?? ScheduledUntil : ScheduledUntil;

    /// <summary>Whether it starts within <paramref name="horizon"/> after <paramref name="now"/>.</summary>
    public bool StartsWithin(DateTimeOffset now, TimeSpan horizon) =>
        Status == "scheduled" && ScheduledFor is { } from && from >= now && from - now <= horizon;
}
