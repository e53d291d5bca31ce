using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Synthetics.Pipeline;

namespace Synthetics.Functions;

/// <summary>
/// Warns ahead of provider maintenances that touch monitored regions (<see cref="MaintenanceCycle"/>) on the
/// <c>Synthetics:MaintenanceSchedule</c> app setting (default every 15 minutes).
/// </summary>
internal sealed partial class MaintenanceFunction(MaintenanceCycle cycle, ILogger<MaintenanceFunction> logger)
{
    [Function("Maintenance")]
    public async Task RunAsync([TimerTrigger(MaintenanceCycle.ScheduleSetting)] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (timer.IsPastDue)
        {
            LogPastDue(logger);
        }

        await cycle.RunOnceAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 1500, Level = LogLevel.Warning, Message = "Maintenance started late (past due)")]
    private static partial void LogPastDue(ILogger logger);
}
