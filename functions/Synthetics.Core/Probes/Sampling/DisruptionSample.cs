using Synthetics.Results;

namespace Synthetics.Probes.Sampling;

/// <summary>One sample that ended: when it started, what it found, and where it failed.</summary>
/// <param name="StartedAt">UTC start.</param>
/// <param name="Outcome">As the probes classify it (<see cref="OutcomeClassifier"/>); never <c>slow</c>: see <paramref name="Slow"/>.</param>
/// <param name="FailedPhase">The phase a failure happened in; null for a success or an answer judged wrong.</param>
/// <param name="Phases">The phases this sample timed (a failed phase up to its failure).</param>
/// <param name="TotalMs">From the start to the end of the sample.</param>
/// <param name="Slow">A success slower than the target's slow threshold.</param>
/// <param name="RemoteAddress">The address connected to, when known.</param>
/// <param name="AuditId">A Kubernetes request's Audit-ID (kept for a failed sample).</param>
/// <param name="AuditIdEchoed">Whether the API server echoed <paramref name="AuditId"/>.</param>
internal sealed record DisruptionSample(
    DateTimeOffset StartedAt,
    ProbeOutcome Outcome,
    ProbePhase? FailedPhase,
    ProbePhases Phases,
    double TotalMs,
    bool Slow,
    string? RemoteAddress,
    string? AuditId,
    bool? AuditIdEchoed)
{
    public bool Failed => !Outcome.IsSuccess();
}
