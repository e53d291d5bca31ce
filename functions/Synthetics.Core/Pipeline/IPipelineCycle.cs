using Synthetics.Scheduling;

namespace Synthetics.Pipeline;

/// <summary>
/// One cycle of the pipeline (probe and store, evaluate, retention) as a host schedules it: the Function App's timer
/// triggers call the cycle's own <c>RunOnceAsync</c>; <see cref="PipelineScheduler"/> calls it through this interface
/// on <see cref="Schedule"/>, for the CLI and the tests.
/// </summary>
public interface IPipelineCycle
{
    /// <summary>The cycle's name, as the Function App names its trigger (<c>ProbeCycle</c>, <c>Evaluate</c>, <c>Retention</c>).</summary>
    string Name { get; }

    /// <summary>When it runs: the setting's NCRONTAB on the options' time scale.</summary>
    CronSchedule Schedule { get; }

    /// <summary>Runs the cycle once and tells <paramref name="observers"/> what it did.</summary>
    Task RunOnceAndNotifyAsync(IReadOnlyList<IPipelineObserver> observers, CancellationToken cancellationToken);
}
