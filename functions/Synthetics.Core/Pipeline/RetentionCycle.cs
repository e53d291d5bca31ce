using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;
using Synthetics.Scheduling;
using Synthetics.Storage;

namespace Synthetics.Pipeline;

/// <summary>
/// Deletes results and incident history older than <c>Synthetics:Storage:RetentionDays</c>, bounded by
/// <c>RetentionBudgetSeconds</c> and one transaction at a time, so it never holds the account's throughput for long; a
/// run cut short continues next time. Every app runs the schedule, but one deletes per occurrence: the first to claim
/// the occurrence (<see cref="IRunClaims"/>); the others skip. A failing table service is a failed run, not an exception.
/// </summary>
public sealed partial class RetentionCycle : IPipelineCycle
{
    /// <summary>The timer trigger's schedule expression: the <c>Synthetics:RetentionSchedule</c> app setting.</summary>
    public const string ScheduleSetting = "%Synthetics:RetentionSchedule%";

    // How far back the occurrence a run belongs to is looked for: beyond any schedule's period (a year covers them all).
    private static readonly TimeSpan LongestPeriod = TimeSpan.FromDays(400);

    private readonly ResultRetention _retention;
    private readonly IRunClaims _claims;
    private readonly TimeProvider _time;
    private readonly string _vantage;
    private readonly ILogger<RetentionCycle> _logger;

    public RetentionCycle(ResultRetention retention, IRunClaims claims, TimeProvider time, IOptions<SyntheticsOptions> options, ILogger<RetentionCycle> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _retention = retention;
        _claims = claims;
        _time = time;
        _vantage = options.Value.VantagePoint;
        _logger = logger;
        Schedule = CronSchedule.Parse("Synthetics:RetentionSchedule", options.Value.RetentionSchedule, options.Value.TimeScale);
    }

    public string Name => "Retention";

    /// <summary><c>Synthetics:RetentionSchedule</c> (default hourly at minute 17, away from the probe tick) on <c>Synthetics:TimeScale</c>.</summary>
    public CronSchedule Schedule { get; }

    /// <summary>
    /// Runs retention once, if this app claims the schedule occurrence the run belongs to (the latest at or before now);
    /// otherwise a skipped run. A claimed occurrence whose run fails is not retried by the others: the next one continues.
    /// </summary>
    public async Task<RetentionRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        var at = _time.GetUtcNow();
        try
        {
            var slot = Occurrence(Schedule, at);
            if (!await _claims.TryClaimAsync(ResultRetention.RunName, slot, _vantage, cancellationToken))
            {
                LogSkipped(_logger, slot);
                return new RetentionRun(at, new RetentionReport(0, 0, Completed: true), null) { Skipped = true };
            }

            var report = await _retention.RunAsync(cancellationToken);
            LogDone(_logger, report.Deleted, report.Transactions, report.Completed, report.HistoryDeleted);
            return new RetentionRun(at, report, null);
        }
        catch (Exception ex) when (TableServiceFailure.Is(ex, out var status))
        {
            LogFailed(_logger, status);
            return new RetentionRun(at, null, status);
        }
    }

    /// <summary>
    /// The latest occurrence of <paramref name="schedule"/> at or before <paramref name="now"/>: the slot every app's run
    /// of that tick agrees on, whatever its timer's jitter or its clock's offset within the schedule's period.
    /// </summary>
    internal static DateTimeOffset Occurrence(CronSchedule schedule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        // Look back far enough to hold one occurrence (doubling, so a minutely and a monthly schedule are both cheap),
        // then walk forward to the last one not after now.
        var lookBack = TimeSpan.FromSeconds(1);
        var occurrence = schedule.Next(now - lookBack);
        while (occurrence > now && lookBack < LongestPeriod)
        {
            lookBack *= 2;
            occurrence = schedule.Next(now - lookBack);
        }

        for (var next = schedule.Next(occurrence); next <= now; next = schedule.Next(occurrence))
        {
            occurrence = next;
        }

        return occurrence;
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
        Message = "Retention finished: {Deleted} results deleted in {Transactions} transactions (completed: {Completed}), {History} incident events")]
    private static partial void LogDone(ILogger logger, int deleted, int transactions, bool completed, int history);

    [LoggerMessage(EventId = 5031, Level = LogLevel.Warning,
        Message = "Retention failed: the table service answered {Status}; the next tick continues")]
    private static partial void LogFailed(ILogger logger, int status);

    [LoggerMessage(EventId = 5032, Level = LogLevel.Information,
        Message = "Retention of {Slot:O} skipped: another app claimed it")]
    private static partial void LogSkipped(ILogger logger, DateTimeOffset slot);
}
