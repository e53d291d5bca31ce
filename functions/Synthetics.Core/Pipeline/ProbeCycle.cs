using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synthetics.Alerts;
using Synthetics.Configuration;
using Synthetics.Probes;
using Synthetics.Scheduling;
using Synthetics.Storage;
using Synthetics.Targets;

namespace Synthetics.Pipeline;

/// <summary>
/// One probe cycle at this vantage point: every probe of the catalog (the settings' targets and, with discovery on, the
/// discovered ones, read at each cycle), the results into the outbox (local disk), the
/// availability results to Application Insights, then the outbox flushed within its own budget and telemetry sent.
/// Probing comes first and never waits for storage; a failing table service never fails the run: the outbox keeps
/// what it could not write, and a later run writes it. The Function App runs it on <see cref="ScheduleSetting"/>; the
/// CLI and the tests through <see cref="PipelineScheduler"/>.
/// </summary>
public sealed partial class ProbeCycle : IPipelineCycle
{
    /// <summary>The timer trigger's schedule expression: the <c>Synthetics:ProbeSchedule</c> app setting.</summary>
    public const string ScheduleSetting = "%Synthetics:ProbeSchedule%";

    // A run stopped by its host still stores what it measured, within this budget; the rest waits in the outbox.
    private static readonly TimeSpan StoppingFlushBudget = TimeSpan.FromSeconds(5);

    private readonly ProbeCycleRunner _runner;
    private readonly ITargetCatalogSource _catalog;
    private readonly ResultOutbox _outbox;
    private readonly ITelemetryPublisher _telemetry;
    private readonly SyntheticsOptions _options;
    private readonly ILogger<ProbeCycle> _logger;

    public ProbeCycle(
        ProbeCycleRunner runner,
        ITargetCatalogSource catalog,
        ResultOutbox outbox,
        ITelemetryPublisher telemetry,
        IOptions<SyntheticsOptions> options,
        ILogger<ProbeCycle> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _runner = runner;
        _catalog = catalog;
        _outbox = outbox;
        _telemetry = telemetry;
        _options = options.Value;
        _logger = logger;
        Schedule = CronSchedule.Parse("Synthetics:ProbeSchedule", _options.ProbeSchedule, _options.TimeScale);
    }

    public string Name => "ProbeCycle";

    /// <summary><c>Synthetics:ProbeSchedule</c> (default second 0 of every minute) on <c>Synthetics:TimeScale</c>.</summary>
    public CronSchedule Schedule { get; }

    /// <summary>Runs the cycle once. Returns normally whatever the targets and the table service did.</summary>
    public async Task<ProbeCycleRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        var cycle = await _runner.RunAsync(await _catalog.GetAsync(cancellationToken), cancellationToken);
        // Kept even when the host is stopping: these were measured.
        await _outbox.EnqueueAsync(cycle);
        _telemetry.PublishResults(cycle.Results);
        LogCycle(_logger, cycle.Results.Count, cycle.Failed, cycle.Duration.TotalMilliseconds);

        // No background thread in a serverless host: the flush happens here, after the probes, bounded by
        // Synthetics:Storage:FlushBudgetSeconds, and never fails the run (the outbox keeps what it could not write, in
        // host storage when configured: an instance recycled before the next run loses nothing). A stopping host gets
        // a short budget of its own, then the outbox parks the rest before the instance goes.
        var stopping = cancellationToken.IsCancellationRequested;
        var flush = stopping
            ? await _outbox.FlushAsync(StoppingFlushBudget, CancellationToken.None)
            : await _outbox.FlushAsync(cancellationToken);
        LogStored(_logger, flush.Results, flush.Transactions, flush.Pending, flush.Completed, flush.Parked);

        // The host may freeze the instance as soon as the run returns: telemetry leaves now.
        await _telemetry.FlushAsync(stopping ? CancellationToken.None : cancellationToken);
        return new ProbeCycleRun(cycle, flush);
    }

    async Task IPipelineCycle.RunOnceAndNotifyAsync(IReadOnlyList<IPipelineObserver> observers, CancellationToken cancellationToken)
    {
        var run = await RunOnceAsync(cancellationToken);
        foreach (var observer in observers)
        {
            await observer.OnProbeCycleAsync(run, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "ProbeCycle finished: {Results} results, {Failed} failed, {DurationMs:0} ms")]
    private static partial void LogCycle(ILogger logger, int results, int failed, double durationMs);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information,
        Message = "ProbeCycle stored {Results} results in {Transactions} transactions; {Pending} batches pending (flush completed: {Completed}; parked in host storage: {Parked})")]
    private static partial void LogStored(ILogger logger, int results, int transactions, int pending, bool completed, int parked);
}
