using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Synthetics.Pipeline;

namespace Synthetics.Functions;

/// <summary>
/// Judges the last window across every vantage point and opens, updates or resolves incidents
/// (<see cref="EvaluationCycle"/>). Every vantage's app runs it on <c>Synthetics:EvaluationSchedule</c>: the first to
/// save detection state evaluates, the others skip, so a lost region does not stop detection.
/// </summary>
internal sealed partial class EvaluateFunction(EvaluationCycle cycle, ILogger<EvaluateFunction> logger)
{
    [Function("Evaluate")]
    public async Task RunAsync([TimerTrigger(EvaluationCycle.ScheduleSetting)] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (timer.IsPastDue)
        {
            LogPastDue(logger);
        }

        await cycle.RunOnceAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Evaluate started late (past due): the previous evaluation or the host was busy")]
    private static partial void LogPastDue(ILogger logger);
}
