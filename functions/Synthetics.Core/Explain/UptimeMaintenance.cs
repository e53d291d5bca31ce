namespace Synthetics.Explain;

/// <summary>A provider maintenance of the month, and whether the SLA exempts what happened during it.</summary>
public sealed record UptimeMaintenance
{
    public required string Name { get; init; }

    public required IReadOnlyList<string> Regions { get; init; }

    public DateTimeOffset? AnnouncedAt { get; init; }

    public required DateTimeOffset From { get; init; }

    public required DateTimeOffset To { get; init; }

    /// <summary>Announced at least the SLA's notice before it started.</summary>
    public required bool Exempt { get; init; }

    /// <summary>Why it is or is not exempt, in words.</summary>
    public required string Why { get; init; }
}
