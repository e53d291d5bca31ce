using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synthetics.Alerts;
using Synthetics.Configuration;
using Synthetics.Detection;
using Synthetics.Scheduling;

namespace Synthetics.Pipeline;

/// <summary>
/// One evaluation: the last window across every vantage point becomes verdicts and incident events (to Application
/// Insights, where alert rules email on-call), then telemetry is sent. Every vantage runs it: the first to save detection
/// state evaluates, the others skip, so a lost region does not stop detection. A failing table service costs this
/// evaluation, not the pipeline: the run reports it and the next tick tries again.
/// </summary>
public sealed partial class EvaluationCycle : IPipelineCycle
{
    /// <summary>The timer trigger's schedule expression: the <c>Synthetics:EvaluationSchedule</c> app setting.</summary>
    public const string ScheduleSetting = "%Synthetics:EvaluationSchedule%";

    private readonly Evaluator _evaluator;
    private readonly ITelemetryPublisher _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger<EvaluationCycle> _logger;

    public EvaluationCycle(
        Evaluator evaluator, ITelemetryPublisher telemetry, TimeProvider time, IOptions<SyntheticsOptions> options, ILogger<EvaluationCycle> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _evaluator = evaluator;
        _telemetry = telemetry;
        _time = time;
        _logger = logger;
        Schedule = CronSchedule.Parse("Synthetics:EvaluationSchedule", options.Value.EvaluationSchedule, options.Value.TimeScale);
    }

    public string Name => "Evaluate";

    /// <summary><c>Synthetics:EvaluationSchedule</c> (default second 50 of every minute, just after the minute's probe cycle is stored) on <c>Synthetics:TimeScale</c>.</summary>
    public CronSchedule Schedule { get; }

    /// <summary>Evaluates once. A table service that fails (<see cref="Azure.RequestFailedException"/>, or the SDK's retries of it all failing) is a failed run, not an exception.</summary>
    public async Task<EvaluationRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        var at = _time.GetUtcNow();
        EvaluationRun run;
        try
        {
            var report = await _evaluator.EvaluateAsync(cancellationToken);
            LogEvaluated(_logger, report.Skipped, report.ResultsRead, report.Findings.Count, report.Events.Count);
            run = new EvaluationRun(at, report, null);
        }
        catch (Exception ex) when (TableServiceFailure.Is(ex, out var status))
        {
            LogFailed(_logger, status);
            run = new EvaluationRun(at, null, status);
        }

        // Incident events leave before the host may freeze the instance.
        await _telemetry.FlushAsync(cancellationToken);
        return run;
    }

    async Task IPipelineCycle.RunOnceAndNotifyAsync(IReadOnlyList<IPipelineObserver> observers, CancellationToken cancellationToken)
    {
        var run = await RunOnceAsync(cancellationToken);
        foreach (var observer in observers)
        {
            await observer.OnEvaluationAsync(run, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information,
        Message = "Evaluate: skipped {Skipped}, {Results} results in the window, {Findings} findings, {Events} incident events")]
    private static partial void LogEvaluated(ILogger logger, bool skipped, int results, int findings, int events);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Warning,
        Message = "Evaluate failed: the table service answered {Status}; the next tick tries again")]
    private static partial void LogFailed(ILogger logger, int status);
}
