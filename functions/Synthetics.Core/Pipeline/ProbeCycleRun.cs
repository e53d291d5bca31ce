using Synthetics.Probes;
using Synthetics.Storage;

namespace Synthetics.Pipeline;

/// <summary>What one <see cref="ProbeCycle"/> run did.</summary>
/// <param name="Cycle">The probes' results.</param>
/// <param name="Flush">The outbox flush after it: what was stored, what is still pending.</param>
public sealed record ProbeCycleRun(ProbeCycleReport Cycle, OutboxFlushReport Flush);
