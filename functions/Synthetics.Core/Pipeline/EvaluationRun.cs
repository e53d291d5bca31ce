using Synthetics.Detection;

namespace Synthetics.Pipeline;

/// <summary>What one <see cref="EvaluationCycle"/> run did: the evaluator's report, or the table service's failure.</summary>
/// <param name="At">When the run started.</param>
/// <param name="Report">The evaluation; null when it failed.</param>
/// <param name="FailedStatus">The table service's HTTP status when the evaluation failed (0: no response); null when it ran.</param>
public sealed record EvaluationRun(DateTimeOffset At, EvaluationReport? Report, int? FailedStatus)
{
    /// <summary>True when the evaluation ran (or was skipped because another evaluator had done it).</summary>
    public bool Succeeded => Report is not null;
}
