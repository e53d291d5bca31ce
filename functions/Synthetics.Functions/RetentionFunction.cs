using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Synthetics.Pipeline;

namespace Synthetics.Functions;

/// <summary>
/// Deletes results older than <c>Synthetics:Storage:RetentionDays</c> (<see cref="RetentionCycle"/>) on the
/// <c>Synthetics:RetentionSchedule</c> app setting (default hourly at :17, away from the probe tick).
/// </summary>
internal sealed partial class RetentionFunction(RetentionCycle cycle, ILogger<RetentionFunction> logger)
{
    [Function("Retention")]
    public async Task RunAsync([TimerTrigger(RetentionCycle.ScheduleSetting)] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (timer.IsPastDue)
        {
            LogPastDue(logger);
        }

        await cycle.RunOnceAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Retention started late (past due)")]
    private static partial void LogPastDue(ILogger logger);
}
