using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synthetics.Alerts;
using Synthetics.Configuration;
using Synthetics.Detection;
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
/// what it could not write, and a later run writes it. While the probes run, every
/// <see cref="DetectionOptions.InCycleEvery"/> the disruption samples so far are stored and every vantage's are looked
/// at (<see cref="Evaluator.LookAtCyclesInProgressAsync"/>), so a fault beyond doubt pages before the cycle ends. The
/// Function App runs it on <see cref="ScheduleSetting"/>; the CLI and the tests through <see cref="PipelineScheduler"/>.
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
    private readonly IResultStore _store;
    private readonly Evaluator _evaluator;
    private readonly ITelemetryPublisher _telemetry;
    private readonly SyntheticsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ProbeCycle> _logger;

    public ProbeCycle(
        ProbeCycleRunner runner,
        ITargetCatalogSource catalog,
        ResultOutbox outbox,
        IResultStore store,
        Evaluator evaluator,
        ITelemetryPublisher telemetry,
        IOptions<SyntheticsOptions> options,
        TimeProvider time,
        ILogger<ProbeCycle> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _runner = runner;
        _catalog = catalog;
        _outbox = outbox;
        _store = store;
        _evaluator = evaluator;
        _telemetry = telemetry;
        _options = options.Value;
        _time = time;
        _logger = logger;
        Schedule = CronSchedule.Parse("Synthetics:ProbeSchedule", _options.ProbeSchedule, _options.TimeScale);
    }

    public string Name => "ProbeCycle";

    /// <summary><c>Synthetics:ProbeSchedule</c> (default second 0 of every minute) on <c>Synthetics:TimeScale</c>.</summary>
    public CronSchedule Schedule { get; }

    /// <summary>Runs the cycle once. Returns normally whatever the targets and the table service did.</summary>
    public async Task<ProbeCycleRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        var catalog = await _catalog.GetAsync(cancellationToken);
        var progress = new CycleProgress();
        ProbeCycleReport cycle;
        var every = _options.Detection.InCycleEvery;
        var opened = new List<IncidentEvent>();
        using (var cycleEnded = new CancellationTokenSource())
        {
            var looking = every > TimeSpan.Zero ? LookWhileRunningAsync(progress, every, opened, cycleEnded.Token, cancellationToken) : Task.CompletedTask;
            try
            {
                cycle = await _runner.RunAsync(catalog, progress, cancellationToken);
            }
            finally
            {
                // A snapshot being written is waited for: were it cut, it could land after the cycle's own results.
                await cycleEnded.CancelAsync();
                await looking;
            }
        }

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
        return new ProbeCycleRun(cycle, flush) { OpenedInCycle = opened };
    }

    /// <summary>
    /// Until the cycle ends: every <paramref name="every"/>, the runs in progress stored as they stand (under the keys of
    /// their final results, which replace them) and every vantage's looked at. Never fails the cycle: a table service
    /// that fails costs this look, and the cycle's results are stored as always. What the looks opened is added to
    /// <paramref name="opened"/>.
    /// </summary>
    private async Task LookWhileRunningAsync(CycleProgress progress, TimeSpan every, List<IncidentEvent> opened, CancellationToken cycleEnded, CancellationToken host)
    {
        using var looking = CancellationTokenSource.CreateLinkedTokenSource(cycleEnded, host);
        // A look under way when the cycle ends may finish within one interval more (the cycle's results wait for it):
        // the look just before the end has the most samples of all.
        using var grace = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        using var lookBounds = CancellationTokenSource.CreateLinkedTokenSource(grace.Token, host);
        await using var onEnd = cycleEnded.Register(() => grace.CancelAfter(every));
        while (!looking.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, _time, looking.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // A process's first cycle, and one it stalled in, is not judged (it timed the monitor): nothing to look at.
            var soFar = progress.ColdStart || progress.Stalled ? [] : progress.Snapshot();
            if (soFar.Count == 0)
            {
                continue;
            }

            try
            {
                await _store.WriteAsync(soFar, host);
                opened.AddRange(await _evaluator.LookAtCyclesInProgressAsync(lookBounds.Token));
            }
            catch (OperationCanceledException) when (lookBounds.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (TableServiceFailure.Is(ex, out var status))
            {
                LogLookFailed(_logger, status);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Whatever else went wrong (a maintenance source that failed while an incident was named) costs the look,
                // never the cycle: the evaluation after it judges the cycle whole.
                var exceptionType = ex.GetType().Name;
                LogLookBroke(_logger, exceptionType);
            }
        }
    }

    async Task IPipelineCycle.RunOnceAndNotifyAsync(IReadOnlyList<IPipelineObserver> observers, CancellationToken cancellationToken)
    {
        var run = await RunOnceAsync(cancellationToken);
        foreach (var observer in observers)
        {
            await observer.OnProbeCycleAsync(run, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 5012, Level = LogLevel.Debug,
        Message = "ProbeCycle could not store or look at the samples so far: the table service answered {Status}; the cycle's results are stored as always")]
    private static partial void LogLookFailed(ILogger logger, int status);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Warning,
        Message = "ProbeCycle's look at the samples so far failed ({ExceptionType}); the evaluation after the cycle judges it whole")]
    private static partial void LogLookBroke(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "ProbeCycle finished: {Results} results, {Failed} failed, {DurationMs:0} ms")]
    private static partial void LogCycle(ILogger logger, int results, int failed, double durationMs);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information,
        Message = "ProbeCycle stored {Results} results in {Transactions} transactions; {Pending} batches pending (flush completed: {Completed}; parked in host storage: {Parked})")]
    private static partial void LogStored(ILogger logger, int results, int transactions, int pending, bool completed, int parked);
}
