using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Synthetics.Pipeline;

/// <summary>
/// Runs every registered <see cref="IPipelineCycle"/> on its schedule in a generic host (the CLI's <c>run</c> and
/// <c>demo</c>, the scenario tests), the way the Function App's timer triggers do: one run at a time per cycle; ticks
/// that pass while a run overran are skipped, not queued (a late start is logged, like a trigger's <c>IsPastDue</c>);
/// a run that fails is not retried, the next tick is the next run. Each run's report goes to every
/// <see cref="IPipelineObserver"/>. Stopping the host cancels the runs in progress, which store what they measured.
/// </summary>
public sealed partial class PipelineScheduler(
    IEnumerable<IPipelineCycle> cycles, IEnumerable<IPipelineObserver> observers, TimeProvider time, ILogger<PipelineScheduler> logger)
    : BackgroundService
{
    // A tick this late is reported as past due: well past a timer's jitter, well inside any schedule's period.
    private static readonly TimeSpan PastDue = TimeSpan.FromSeconds(1);

    private readonly IReadOnlyList<IPipelineCycle> _cycles = [.. cycles];
    private readonly IReadOnlyList<IPipelineObserver> _observers = [.. observers];

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_cycles.Select(cycle => Task.Run(() => RunOnScheduleAsync(cycle, stoppingToken), CancellationToken.None)));

    private async Task RunOnScheduleAsync(IPipelineCycle cycle, CancellationToken stoppingToken)
    {
        LogScheduled(logger, cycle.Name, cycle.Schedule);
        DateTimeOffset? previous = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset tick;
            try
            {
                tick = await cycle.Schedule.WaitForNextAsync(time, previous, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            if (previous is { } last && cycle.Schedule.Next(last) < tick)
            {
                LogSkipped(logger, cycle.Name, last, tick);
            }

            if (time.GetUtcNow() - tick > PastDue)
            {
                LogPastDue(logger, cycle.Name, tick);
            }

            previous = tick;
            try
            {
                await cycle.RunOnceAndNotifyAsync(_observers, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // As in the Function App: a failed run is not retried and does not stop the schedule.
                LogRunFailed(logger, ex, cycle.Name, tick);
            }
        }
    }

    [LoggerMessage(EventId = 5000, Level = LogLevel.Debug, Message = "{Cycle} scheduled on {Schedule}")]
    private static partial void LogScheduled(ILogger logger, string cycle, Scheduling.CronSchedule schedule);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning,
        Message = "{Cycle}: the run of {Previous:O} overran the ticks until {Tick:O}; they were skipped")]
    private static partial void LogSkipped(ILogger logger, string cycle, DateTimeOffset previous, DateTimeOffset tick);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "{Cycle} of {Tick:O} started late (past due): the process was busy")]
    private static partial void LogPastDue(ILogger logger, string cycle, DateTimeOffset tick);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "{Cycle} of {Tick:O} failed; the next tick is the next run")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string cycle, DateTimeOffset tick);
}
