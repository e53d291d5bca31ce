using Synthetics.Detection;
using Synthetics.Probes;
using Synthetics.Storage;

namespace Synthetics.Pipeline;

/// <summary>What one <see cref="ProbeCycle"/> run did.</summary>
/// <param name="Cycle">The probes' results.</param>
/// <param name="Flush">The outbox flush after it: what was stored, what is still pending.</param>
public sealed record ProbeCycleRun(ProbeCycleReport Cycle, OutboxFlushReport Flush)
{
    /// <summary>
    /// Incidents opened while the cycle ran, by its looks at the samples so far
    /// (<see cref="Evaluator.LookAtCyclesInProgressAsync"/>): already published, told here for the host to show.
    /// </summary>
    public IReadOnlyList<IncidentEvent> OpenedInCycle { get; init; } = [];
}
