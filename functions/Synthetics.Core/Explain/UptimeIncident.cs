namespace Synthetics.Explain;

/// <summary>A provider-side incident as the month counts it.</summary>
public sealed record UptimeIncident
{
    public required string Id { get; init; }

    public required string Scope { get; init; }

    public required string Region { get; init; }

    public required IReadOnlyList<string> Targets { get; init; }

    /// <summary><c>degraded</c> or <c>down</c> (the worst it reached).</summary>
    public required string State { get; init; }

    public required DateTimeOffset FirstSeenAt { get; init; }

    /// <summary>When it resolved; null while open (counted to the report's end).</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>Its minutes inside the month.</summary>
    public required double Minutes { get; init; }

    /// <summary>Of them, inside a maintenance announced far enough ahead.</summary>
    public required double ExemptMinutes { get; init; }

    /// <summary>The maintenance the incident recorded when it opened, if any.</summary>
    public string? ProviderMaintenance { get; init; }
}
