using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;
using Synthetics.Scheduling;
using Synthetics.Storage;

namespace Synthetics.Pipeline;

/// <summary>
/// Deletes results older than <c>Synthetics:Storage:RetentionDays</c>, bounded by <c>RetentionBudgetSeconds</c> and one
/// transaction at a time, so it never holds the account's throughput for long; a run cut short continues next time. A
/// failing table service is a failed run, not an exception.
/// </summary>
public sealed partial class RetentionCycle : IPipelineCycle
{
    /// <summary>The timer trigger's schedule expression: the <c>Synthetics:RetentionSchedule</c> app setting.</summary>
    public const string ScheduleSetting = "%Synthetics:RetentionSchedule%";

    private readonly ResultRetention _retention;
    private readonly TimeProvider _time;
    private readonly ILogger<RetentionCycle> _logger;

    public RetentionCycle(ResultRetention retention, TimeProvider time, IOptions<SyntheticsOptions> options, ILogger<RetentionCycle> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _retention = retention;
        _time = time;
        _logger = logger;
        Schedule = CronSchedule.Parse("Synthetics:RetentionSchedule", options.Value.RetentionSchedule, options.Value.TimeScale);
    }

    public string Name => "Retention";

    /// <summary><c>Synthetics:RetentionSchedule</c> (default hourly at minute 17, away from the probe tick) on <c>Synthetics:TimeScale</c>.</summary>
    public CronSchedule Schedule { get; }

    /// <summary>Runs retention once.</summary>
    public async Task<RetentionRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        var at = _time.GetUtcNow();
        try
        {
            var report = await _retention.RunAsync(cancellationToken);
            LogDone(_logger, report.Deleted, report.Transactions, report.Completed);
            return new RetentionRun(at, report, null);
        }
        catch (Exception ex) when (TableServiceFailure.Is(ex, out var status))
        {
            LogFailed(_logger, status);
            return new RetentionRun(at, null, status);
        }
    }

    async Task IPipelineCycle.RunOnceAndNotifyAsync(IReadOnlyList<IPipelineObserver> observers, CancellationToken cancellationToken)
    {
        var run = await RunOnceAsync(cancellationToken);
        foreach (var observer in observers)
        {
            await observer.OnRetentionAsync(run, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 5030, Level = LogLevel.Information,
        Message = "Retention finished: {Deleted} results deleted in {Transactions} transactions (completed: {Completed})")]
    private static partial void LogDone(ILogger logger, int deleted, int transactions, bool completed);

    [LoggerMessage(EventId = 5031, Level = LogLevel.Warning,
        Message = "Retention failed: the table service answered {Status}; the next tick continues")]
    private static partial void LogFailed(ILogger logger, int status);
}
