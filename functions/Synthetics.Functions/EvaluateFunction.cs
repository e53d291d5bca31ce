using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Synthetics.Alerts;
using Synthetics.Detection;

namespace Synthetics.Functions;

/// <summary>
/// Judges the last window across every vantage point and opens, updates or resolves incidents (events to Application
/// Insights, where alert rules email on-call). Every vantage's app runs it on <c>Synthetics:EvaluationSchedule</c>:
/// the first to save detection state evaluates, the others skip, so a lost region does not stop detection.
/// </summary>
internal sealed partial class EvaluateFunction(Evaluator evaluator, ITelemetryPublisher telemetry, ILogger<EvaluateFunction> logger)
{
    [Function("Evaluate")]
    public async Task RunAsync([TimerTrigger("%Synthetics:EvaluationSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var report = await evaluator.EvaluateAsync(cancellationToken);
        LogEvaluated(logger, report.Skipped, report.ResultsRead, report.Findings.Count, report.Events.Count);
        await telemetry.FlushAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information,
        Message = "Evaluate: skipped {Skipped}, {Results} results in the window, {Findings} findings, {Events} incident events")]
    private static partial void LogEvaluated(ILogger logger, bool skipped, int results, int findings, int events);
}
