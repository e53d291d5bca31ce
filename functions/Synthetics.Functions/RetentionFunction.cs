using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Synthetics.Storage;

namespace Synthetics.Functions;

/// <summary>
/// Deletes results older than <c>Synthetics:Storage:RetentionDays</c> on the <c>Synthetics:RetentionSchedule</c> app
/// setting (default hourly at :17, away from the probe tick). Bounded by <c>RetentionBudgetSeconds</c> and one
/// transaction at a time, so it never holds the account's throughput for long; a run cut short continues next time.
/// </summary>
internal sealed partial class RetentionFunction(ResultRetention retention, ILogger<RetentionFunction> logger)
{
    [Function("Retention")]
    public async Task RunAsync([TimerTrigger("%Synthetics:RetentionSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (timer.IsPastDue)
        {
            LogPastDue(logger);
        }

        var report = await retention.RunAsync(cancellationToken);
        LogDone(logger, report.Deleted, report.Transactions, report.Completed);
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Retention started late (past due)")]
    private static partial void LogPastDue(ILogger logger);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information,
        Message = "Retention finished: {Deleted} results deleted in {Transactions} transactions (completed: {Completed})")]
    private static partial void LogDone(ILogger logger, int deleted, int transactions, bool completed);
}
