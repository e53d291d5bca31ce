using Synthetics.Results;

namespace Synthetics.Probes;

/// <summary>What one probe cycle produced: a result for every planned probe, in target then probe order.</summary>
public sealed record ProbeCycleReport(
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    IReadOnlyList<ProbeResult> Results,
    int Planned,
    bool CancelledByHost)
{
    /// <summary>
    /// The first cycle of this process: it measures the runtime's own start (JIT, first TLS handshakes, connection
    /// pools) as much as the targets, so detection does not judge it. Its results are kept for evidence.
    /// </summary>
    public bool ColdStart { get; init; }

    public int Failed => Results.Count(r => !r.Success);
}
