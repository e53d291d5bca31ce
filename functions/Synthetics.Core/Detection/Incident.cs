using Synthetics.Results;

namespace Synthetics.Detection;

/// <summary>
/// A problem tracked across evaluations. Before it opens it is a candidate (counting bad evaluations); once open
/// it stays open until enough good evaluations in a row resolve it. Hysteresis in both directions: no page on a blip,
/// no flapping on a recovery that is not one.
/// </summary>
public sealed record Incident
{
    /// <summary>Stable id of an opened incident, e.g. <c>region:ca-central@20260312T140200Z</c>; the key while a candidate.</summary>
    public required string Id { get; init; }

    /// <summary>The finding key it tracks, e.g. <c>region:ca-central</c>.</summary>
    public required string Key { get; init; }

    public required IncidentScope Scope { get; init; }

    public string? Region { get; init; }

    public IReadOnlyList<string> Targets { get; init; } = [];

    public IReadOnlyList<string> Vantages { get; init; } = [];

    public HealthState State { get; init; }

    public ProbeOutcome? LeadingOutcome { get; init; }

    public IReadOnlyDictionary<ProbeOutcome, int> Outcomes { get; init; } = new Dictionary<ProbeOutcome, int>();

    public IReadOnlyList<LatencyExcess> Latency { get; init; } = [];

    public string Summary { get; init; } = "";

    /// <summary>The provider's maintenance that overlaps, as the status page names it, when one does.</summary>
    public string? ProviderMaintenance { get; init; }

    /// <summary>
    /// Whose side it is likely on, decided when it opens: <c>customer</c> (the account's own change overlaps it, see
    /// <see cref="CustomerChanges"/>), <c>provider</c> (a provider maintenance or notice does), or <c>unknown</c>; null
    /// for an incident opened before attribution existed.
    /// </summary>
    public string? Attribution { get; init; }

    /// <summary>The account's own changes on its targets' clusters and NodeBalancers in its window, one line each.</summary>
    public IReadOnlyList<string> CustomerChanges { get; init; } = [];

    /// <summary>When the first bad evaluation of this streak happened: the problem's start, as far as we saw it.</summary>
    public required DateTimeOffset FirstSeenAt { get; init; }

    /// <summary>When it opened, or null while a candidate.</summary>
    public DateTimeOffset? OpenedAt { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }

    public int BadStreak { get; init; }

    public int GoodStreak { get; init; }

    public bool IsOpen => OpenedAt is not null && ResolvedAt is null;
}
