using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Synthetics.Alerts;
using Synthetics.Probes;
using Synthetics.Storage;
using Synthetics.Targets;

namespace Synthetics.Functions;

/// <summary>
/// One probe cycle per tick at this vantage point. The schedule is the <c>Synthetics:ProbeSchedule</c> app setting;
/// timer functions are singletons per app, and a missed or failed tick is not retried: the next tick is the next cycle.
/// Probing comes first and never waits for storage: the results go to the outbox (local disk), then the outbox is
/// flushed within its own budget. What a failing table service leaves behind is written by a later tick.
/// </summary>
internal sealed partial class ProbeCycleFunction(
    ProbeCycleRunner runner, TargetCatalog catalog, ResultOutbox outbox, ITelemetryPublisher telemetry, ILogger<ProbeCycleFunction> logger)
{
    [Function("ProbeCycle")]
    public async Task RunAsync([TimerTrigger("%Synthetics:ProbeSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (timer.IsPastDue)
        {
            LogPastDue(logger);
        }

        var report = await runner.RunAsync(catalog.Targets, cancellationToken);
        await outbox.EnqueueAsync(report);
        telemetry.PublishResults(report.Results);
        LogCycle(logger, report.Results.Count, report.Failed, report.Duration.TotalMilliseconds);

        // No background thread in a serverless host: the flush happens here, after the probes, bounded by
        // Synthetics:Storage:FlushBudgetSeconds, and never fails the invocation (the outbox keeps what it could not write).
        var flush = await outbox.FlushAsync(cancellationToken);
        LogStored(logger, flush.Results, flush.Transactions, flush.Pending, flush.Completed);

        // The host may freeze the instance as soon as the invocation returns: telemetry leaves now.
        await telemetry.FlushAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "ProbeCycle started late (past due): the previous cycle or the host was busy")]
    private static partial void LogPastDue(ILogger logger);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "ProbeCycle finished: {Results} results, {Failed} failed, {DurationMs:0} ms")]
    private static partial void LogCycle(ILogger logger, int results, int failed, double durationMs);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information,
        Message = "ProbeCycle stored {Results} results in {Transactions} transactions; {Pending} batches pending (flush completed: {Completed})")]
    private static partial void LogStored(ILogger logger, int results, int transactions, int pending, bool completed);
}
