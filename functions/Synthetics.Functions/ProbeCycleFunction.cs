using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Synthetics.Pipeline;

namespace Synthetics.Functions;

/// <summary>
/// One probe cycle per tick at this vantage point (<see cref="ProbeCycle"/>: probe, outbox, availability telemetry,
/// flush). The schedule is the <c>Synthetics:ProbeSchedule</c> app setting; timer functions are singletons per app, and
/// a missed or failed tick is not retried: the next tick is the next cycle.
/// </summary>
internal sealed partial class ProbeCycleFunction(ProbeCycle cycle, ILogger<ProbeCycleFunction> logger)
{
    [Function("ProbeCycle")]
    public async Task RunAsync([TimerTrigger(ProbeCycle.ScheduleSetting)] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (timer.IsPastDue)
        {
            LogPastDue(logger);
        }

        await cycle.RunOnceAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "ProbeCycle started late (past due): the previous cycle or the host was busy")]
    private static partial void LogPastDue(ILogger logger);
}
