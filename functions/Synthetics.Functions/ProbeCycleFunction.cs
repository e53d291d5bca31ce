using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Synthetics.Probes;
using Synthetics.Targets;

namespace Synthetics.Functions;

/// <summary>
/// One probe cycle per tick at this vantage point. The schedule is the <c>Synthetics:ProbeSchedule</c> app setting;
/// timer functions are singletons per app, and a missed or failed tick is not retried: the next tick is the next cycle.
/// </summary>
internal sealed partial class ProbeCycleFunction(ProbeCycleRunner runner, TargetCatalog catalog, ILogger<ProbeCycleFunction> logger)
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
        LogCycle(logger, report.Results.Count, report.Failed, report.Duration.TotalMilliseconds);
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "ProbeCycle started late (past due): the previous cycle or the host was busy")]
    private static partial void LogPastDue(ILogger logger);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "ProbeCycle finished: {Results} results, {Failed} failed, {DurationMs:0} ms")]
    private static partial void LogCycle(ILogger logger, int results, int failed, double durationMs);
}
