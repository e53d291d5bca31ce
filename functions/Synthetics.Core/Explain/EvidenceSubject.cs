namespace Synthetics.Explain;

/// <summary>What, where and when: the report's subject, every time in UTC.</summary>
public sealed record EvidenceSubject
{
    /// <summary><c>incident</c>, <c>region</c> or <c>target</c>: what the report was asked for.</summary>
    public required string Kind { get; init; }

    /// <summary>The incident's id, when the report is about one.</summary>
    public string? IncidentId { get; init; }

    /// <summary>The incident's scope (<c>target</c>, <c>region</c>, <c>vantage</c>), or the kind asked for.</summary>
    public required string Scope { get; init; }

    /// <summary>Azure Monitor severity of the incident (0 critical … 4 informational); null without an incident.</summary>
    public int? Severity { get; init; }

    /// <summary><c>degraded</c> or <c>down</c> for an incident; null otherwise.</summary>
    public string? State { get; init; }

    public required string Region { get; init; }

    /// <summary>The targets the report covers.</summary>
    public required IReadOnlyList<string> Targets { get; init; }

    /// <summary>The vantage points that agreed on the incident (every vantage that measured, for a region or target).</summary>
    public required IReadOnlyList<string> Vantages { get; init; }

    /// <summary>The detector's own one-line summary of the incident.</summary>
    public string? Summary { get; init; }

    /// <summary>The outcome most failures had, by its contract name.</summary>
    public string? LeadingOutcome { get; init; }

    public DateTimeOffset? FirstSeenAt { get; init; }

    public DateTimeOffset? OpenedAt { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }
}
