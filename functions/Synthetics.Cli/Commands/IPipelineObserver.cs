using Synthetics.Detection;
using Synthetics.Probes;

namespace Synthetics.Cli.Commands;

/// <summary>
/// What a <see cref="PipelineSession"/> tells as it runs, so <c>run</c> and <c>demo</c> share the loops and differ only in
/// what they print and keep.
/// </summary>
internal interface IPipelineObserver
{
    /// <summary>A probe cycle ended; its results are in the outbox (<paramref name="pendingBatches"/> not yet stored).</summary>
    Task OnCycleAsync(ProbeCycleReport report, int pendingBatches);

    /// <summary>An evaluation ran (or was skipped because another evaluator had done it).</summary>
    Task OnEvaluationAsync(EvaluationReport report);

    /// <summary>An evaluation at <paramref name="at"/> failed because the table service answered <paramref name="status"/>.</summary>
    Task OnEvaluationFailedAsync(DateTimeOffset at, int status);
}
