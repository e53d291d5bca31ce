using Synthetics.Storage;

namespace Synthetics.Pipeline;

/// <summary>What one <see cref="RetentionCycle"/> run did: the retention report, or the table service's failure.</summary>
/// <param name="At">When the run started.</param>
/// <param name="Report">What was deleted; null when the run failed.</param>
/// <param name="FailedStatus">The table service's HTTP status when the run failed (0: no response); null when it ran.</param>
public sealed record RetentionRun(DateTimeOffset At, RetentionReport? Report, int? FailedStatus)
{
    /// <summary>True when another app had claimed this schedule slot: it runs retention, this app did nothing (the report is empty).</summary>
    public bool Skipped { get; init; }

    /// <summary>True when the run reached the table service and did what it could within its budget.</summary>
    public bool Succeeded => Report is not null;
}
