using Synthetics.Results;

namespace Synthetics.Detection;

/// <summary>A problem one evaluation saw, placed in scope. Incidents open from findings that persist.</summary>
/// <param name="Scope">Target, region or vantage.</param>
/// <param name="Key">Stable identity across evaluations, e.g. <c>region:ca-central</c>.</param>
/// <param name="Region">The Linode region, or null for a vantage finding spanning several.</param>
/// <param name="Targets">The targets involved.</param>
/// <param name="Vantages">The vantage points that saw it.</param>
/// <param name="State">Degraded or down.</param>
/// <param name="LeadingOutcome">The most frequent failure outcome, or null (a silent vantage).</param>
/// <param name="Outcomes">Failed runs by outcome, summed over the verdicts involved.</param>
/// <param name="Latency">Probes over their latency baseline.</param>
/// <param name="Summary">One line for people.</param>
public sealed record Finding(
    IncidentScope Scope,
    string Key,
    string? Region,
    IReadOnlyList<string> Targets,
    IReadOnlyList<string> Vantages,
    HealthState State,
    ProbeOutcome? LeadingOutcome,
    IReadOnlyDictionary<ProbeOutcome, int> Outcomes,
    IReadOnlyList<LatencyExcess> Latency,
    string Summary)
{
    /// <summary>
    /// Whether runs no earlier evaluation judged show the problem. A finding kept up only by older runs still in the
    /// sliding window keeps an open incident open, but never counts toward opening one: one bad cycle is one observation.
    /// </summary>
    public bool HasNewEvidence { get; init; } = true;

    /// <summary>
    /// Whether the evidence is beyond <see cref="DetectionOptions.ImmediateAlpha"/>: an incident opens from it at once,
    /// without waiting for <see cref="DetectionOptions.OpenAfter"/> evaluations in a row.
    /// </summary>
    public bool Overwhelming { get; init; }

    /// <summary>
    /// Whether the failures are beyond chance over <see cref="DetectionOptions.LongWindow"/>. Its evidence stays in the long
    /// window for ten minutes: the next evaluation would read nine tenths of it again, so a second one in a row confirms
    /// little and costs a minute. An incident opens from it at once, without waiting for <see cref="DetectionOptions.OpenAfter"/>.
    /// </summary>
    public bool OverLongWindow { get; init; }
}
