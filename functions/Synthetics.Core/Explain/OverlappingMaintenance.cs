namespace Synthetics.Explain;

/// <summary>A provider maintenance that overlaps the report, from the status page or as the incident recorded it.</summary>
public sealed record OverlappingMaintenance
{
    /// <summary>The maintenance as the provider names it (with the components it touches when only the incident's record holds it).</summary>
    public required string Name { get; init; }

    /// <summary>The status page's status (<c>scheduled</c>, <c>in_progress</c>, <c>completed</c>…); <c>recorded</c> when known only from the incident.</summary>
    public required string Status { get; init; }

    public DateTimeOffset? ScheduledFor { get; init; }

    public DateTimeOffset? ScheduledUntil { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }

    public IReadOnlyList<string> Components { get; init; } = [];

    /// <summary>The provider's page for it.</summary>
    public string? Link { get; init; }
}
