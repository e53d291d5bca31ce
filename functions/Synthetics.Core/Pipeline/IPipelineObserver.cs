namespace Synthetics.Pipeline;

/// <summary>
/// What a host wants to hear from the cycles <see cref="PipelineScheduler"/> runs: the CLI prints it (<c>run</c>'s
/// lines, <c>demo</c>'s transcript), tests keep it. Called after each run, one call at a time per cycle; an observer
/// that throws is logged and does not stop the pipeline.
/// </summary>
public interface IPipelineObserver
{
    /// <summary>A probe cycle ended: its results are in the outbox, and the flush that followed stored what it could.</summary>
    Task OnProbeCycleAsync(ProbeCycleRun run, CancellationToken cancellationToken);

    /// <summary>An evaluation ran, was skipped because another evaluator had done it, or failed on the table service.</summary>
    Task OnEvaluationAsync(EvaluationRun run, CancellationToken cancellationToken);

    /// <summary>A retention run ended.</summary>
    Task OnRetentionAsync(RetentionRun run, CancellationToken cancellationToken);

    /// <summary>A discovery run ended (or was skipped, or is off). Default: nothing.</summary>
    Task OnDiscoveryAsync(DiscoveryRun run, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A maintenance watcher run ended (with the warnings this app sent). Default: nothing.</summary>
    Task OnMaintenanceAsync(MaintenanceRun run, CancellationToken cancellationToken) => Task.CompletedTask;
}
