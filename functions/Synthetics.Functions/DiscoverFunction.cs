using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Synthetics.Pipeline;

namespace Synthetics.Functions;

/// <summary>
/// Reads the estate from the Linode API into the shared target catalog (<see cref="DiscoveryCycle"/>) on the
/// <c>Synthetics:DiscoverySchedule</c> app setting (default hourly at 7 min 20 s past). Off without
/// <c>Synthetics:Linode:Token</c>.
/// </summary>
internal sealed partial class DiscoverFunction(DiscoveryCycle cycle, ILogger<DiscoverFunction> logger)
{
    [Function("Discover")]
    public async Task RunAsync([TimerTrigger(DiscoveryCycle.ScheduleSetting)] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (timer.IsPastDue)
        {
            LogPastDue(logger);
        }

        await cycle.RunOnceAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Warning, Message = "Discover started late (past due)")]
    private static partial void LogPastDue(ILogger logger);
}
