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

    public IReadOnlyList<ProviderComponent> Components { get; init; } = [];

    /// <summary>Link to the provider's page for it.</summary>
    public string? Shortlink { get; init; }

    public IReadOnlyList<string> Regions => [.. Components.Select(c => c.Region).OfType<string>().Distinct(StringComparer.Ordinal)];

    /// <summary>Whether it concerns <paramref name="region"/>.</summary>
    public bool Touches(string region) => Components.Any(c => string.Equals(c.Region, region, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether it is in progress, or scheduled to be, at <paramref name="at"/>.</summary>
    public bool CoversTime(DateTimeOffset at) =>
        Status is "in_progress" or "verifying"
        || (ScheduledFor is { } from && ScheduledUntil is { } until && at >= from && at <= until);

    /// <summary>Whether it starts within <paramref name="horizon"/> after <paramref name="now"/>.</summary>
    public bool StartsWithin(DateTimeOffset now, TimeSpan horizon) =>
        Status == "scheduled" && ScheduledFor is { } from && from >= now && from - now <= horizon;
}
