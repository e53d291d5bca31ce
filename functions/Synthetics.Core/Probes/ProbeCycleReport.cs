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
    public int Failed => Results.Count(r => !r.Success);
}
