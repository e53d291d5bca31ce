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

    /// <summary>
    /// The longest this process went unscheduled while the cycle ran (<see cref="StallWatch"/>): how late its own timer
    /// came. Zero when not watched.
    /// </summary>
    public TimeSpan LongestStall { get; init; }

    /// <summary>
    /// The process stalled beyond <see cref="ProbingOptions.StallThresholdMs"/> during the cycle: its probes timed the
    /// monitor as much as the targets, so detection does not judge it. Its results are kept for evidence.
    /// </summary>
    public bool Stalled { get; init; }

    /// <summary>Whether detection judges this cycle: neither the process's first nor one it stalled in.</summary>
    public bool Judged => !ColdStart && !Stalled;

    public int Failed => Results.Count(r => !r.Success);
}
