using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synthetics.Alerts;
using Synthetics.Configuration;
using Synthetics.Maintenance;
using Synthetics.Scheduling;
using Synthetics.Storage;
using Synthetics.Targets;

namespace Synthetics.Pipeline;

/// <summary>
/// The maintenance watcher: reads the provider's status page (<see cref="IMaintenanceSource"/>) and, with a Linode token,
/// the account's notifications (<see cref="IAccountActivitySource"/>: maintenance, outage, migration… on a region, a
/// NodeBalancer or a cluster of monitored targets), and warns when one will touch what is monitored: first within
/// <c>Maintenance:WarnAhead</c> (24 h; at first sight when announced later), again within <c>Maintenance:WarnShortlyBefore</c> (1 h). Each maintenance and stage is warned
/// once across every app racing on the schedule: the warning is an insert-if-absent claim (<see cref="IRunClaims"/>,
/// run <c>maintenance-&lt;stage&gt;|&lt;id&gt;</c>, slot the start), and only its winner sends the
/// <c>SyntheticsMaintenanceAhead</c> event. A source that cannot be read is no warning from it (logged, and named in the
/// run and in the warnings the other source still sends); a failing table service is a failed run, not an exception.
/// </summary>
public sealed partial class MaintenanceCycle : IPipelineCycle
{
    /// <summary>The timer trigger's schedule expression: the <c>Synthetics:MaintenanceSchedule</c> app setting.</summary>
    public const string ScheduleSetting = "%Synthetics:MaintenanceSchedule%";

    /// <summary>The claims' run names start with it: <c>maintenance-ahead|&lt;id&gt;</c>, <c>maintenance-shortly|&lt;id&gt;</c>.</summary>
    public const string ClaimPrefix = "maintenance-";

    private readonly IMaintenanceSource _maintenances;
    private readonly IAccountActivitySource _account;
    private readonly ITargetCatalogSource _catalog;
    private readonly IRunClaims _claims;
    private readonly ITelemetryPublisher _telemetry;
    private readonly TimeProvider _time;
    private readonly SyntheticsOptions _options;
    private readonly ILogger<MaintenanceCycle> _logger;

    public MaintenanceCycle(
        IMaintenanceSource maintenances,
        IAccountActivitySource account,
        ITargetCatalogSource catalog,
        IRunClaims claims,
        ITelemetryPublisher telemetry,
        TimeProvider time,
        IOptions<SyntheticsOptions> options,
        ILogger<MaintenanceCycle> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _maintenances = maintenances;
        _account = account;
        _catalog = catalog;
        _claims = claims;
        _telemetry = telemetry;
        _time = time;
        _options = options.Value;
        _logger = logger;
        Schedule = CronSchedule.Parse("Synthetics:MaintenanceSchedule", _options.MaintenanceSchedule, _options.TimeScale);
    }

    public string Name => "Maintenance";

    /// <summary><c>Synthetics:MaintenanceSchedule</c> (default every 15 minutes at second 40) on <c>Synthetics:TimeScale</c>.</summary>
    public CronSchedule Schedule { get; }

    /// <summary>
    /// Warns of what is due and not yet warned by any app. Returns normally whatever the status page, the account and the
    /// table service did: a source that cannot be read is named in the run (and logged), and the other is still read.
    /// </summary>
    public async Task<MaintenanceRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var settings = _options.Maintenance;
        var catalog = await _catalog.GetAsync(cancellationToken);
        var monitored = catalog.Targets.Select(t => new Monitored(t.Name, t.Region, string.Join("/", t.Probes.Order(StringComparer.Ordinal)), t.Labels))
            .Concat(catalog.Unresolved.Select(u => new Monitored(u.Name, u.Region, "", u.Labels)))
            .ToList();
        var reading = await _maintenances.ReadAsync(cancellationToken);
        var notices = await _account.GetNoticesAsync(cancellationToken);
        if (reading.Failure is { } pageFailure)
        {
            LogSourceFailed(_logger, pageFailure, _account.IsEnabled ? "the account's notices are still read" : "nothing else to read (no Linode token)");
        }

        var failures = string.Join("; ", new[] { reading.Failure, notices.Failure is { } f ? $"account notifications: {f}" : null }.OfType<string>());
        var upcoming = reading.Windows
            .Where(m => m.StartsWithin(now, settings.WarnAhead) && monitored.Any(t => m.Touches(t.Region)))
            .Select(m => new Due(m, [.. monitored.Where(t => m.Touches(t.Region))], null, m.ScheduledFor!.Value))
            .Concat(notices.Items
                .Where(n => DueNotice(n, now, settings.WarnAhead) && monitored.Any(t => n.Touches(t.Region, t.Labels)))
                .Select(n => new Due(n.AsWindow(now), [.. monitored.Where(t => n.Touches(t.Region, t.Labels))], n, NoticeSlot(n, now))))
            .ToList();
        var sent = new List<MaintenanceWarning>();
        try
        {
            foreach (var due in upcoming)
            {
                var maintenance = due.Window;
                var affected = due.Affected;
                var startsIn = (maintenance.ScheduledFor ?? now) - now;
                var stage = startsIn <= settings.WarnShortlyBefore ? MaintenanceWarning.Shortly : MaintenanceWarning.Ahead;
                // A maintenance first seen inside the short lead gets one warning; its "ahead" stage is claimed with it, so
                // it is never sent after the later one.
                var stages = stage == MaintenanceWarning.Shortly ? new[] { MaintenanceWarning.Ahead, MaintenanceWarning.Shortly } : [MaintenanceWarning.Ahead];
                var won = false;
                foreach (var claimed in stages)
                {
                    won = await _claims.TryClaimAsync($"{ClaimPrefix}{claimed}|{maintenance.Id}", due.Slot, _options.VantagePoint, cancellationToken);
                }

                if (!won)
                {
                    continue;
                }

                var regions = affected.Select(t => t.Region).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
                var warning = new MaintenanceWarning(
                    maintenance, stage, regions, [.. affected.Select(t => t.Name)],
                    $"from every vantage, every probe of {string.Join(", ", affected.Select(t => t.Probes.Length > 0 ? $"{t.Name} ({t.Probes})" : t.Name))}; an incident in its window names it")
                {
                    Source = due.Notice is null ? MaintenanceWarning.StatusPage : MaintenanceWarning.AccountNotice,
                    Notice = due.Notice is { } notice ? $"{notice.Type} on {notice.Entity}" : null,
                    Clusters = [.. affected.Select(Cluster).OfType<string>().Distinct(StringComparer.Ordinal)],
                    SourceFailure = failures.Length == 0 ? null : failures,
                };
                _telemetry.PublishMaintenanceWarning(warning, _options.VantagePoint);
                LogWarned(_logger, warning.Summary);
                sent.Add(warning);
            }
        }
        catch (Exception ex) when (TableServiceFailure.Is(ex, out var status))
        {
            LogFailed(_logger, status);
            await _telemetry.FlushAsync(cancellationToken);
            return new MaintenanceRun(now, upcoming.Count, sent, status) { StatusPageFailure = reading.Failure, AccountFailure = notices.Failure };
        }

        await _telemetry.FlushAsync(cancellationToken);
        return new MaintenanceRun(now, upcoming.Count, sent, null) { StatusPageFailure = reading.Failure, AccountFailure = notices.Failure };
    }

    /// <summary>
    /// A notice to warn of now: one starting within <paramref name="warnAhead"/>, or one in effect (an outage, a
    /// maintenance under way, no start given) that has not ended.
    /// </summary>
    private static bool DueNotice(AccountNotice notice, DateTimeOffset now, TimeSpan warnAhead) =>
        notice.When is { } start
            ? (start >= now && start - now <= warnAhead) || (start < now && notice.Until is { } until && until > now)
            : notice.Until is not { } end || end > now;

    /// <summary>
    /// The claim's slot, the same for every app: the notice's start, else its end; a notice with neither (an outage without
    /// dates) is claimed per UTC day, so it is warned again each day it lasts.
    /// </summary>
    private static DateTimeOffset NoticeSlot(AccountNotice notice, DateTimeOffset now) =>
        notice.When ?? notice.Until ?? new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);

    private static string? Cluster(Monitored target) =>
        target.Labels.TryGetValue(Discovery.DiscoveredLabels.ClusterId, out var id)
            ? target.Labels.TryGetValue("cluster", out var label) ? $"{label} ({id})" : id
            : null;

    async Task IPipelineCycle.RunOnceAndNotifyAsync(IReadOnlyList<IPipelineObserver> observers, CancellationToken cancellationToken)
    {
        var run = await RunOnceAsync(cancellationToken);
        foreach (var observer in observers)
        {
            await observer.OnMaintenanceAsync(run, cancellationToken);
        }
    }

    private sealed record Monitored(string Name, string Region, string Probes, IReadOnlyDictionary<string, string> Labels);

    private sealed record Due(MaintenanceWindow Window, IReadOnlyList<Monitored> Affected, AccountNotice? Notice, DateTimeOffset Slot);

    [LoggerMessage(EventId = 5053, Level = LogLevel.Warning, Message = "Maintenance watcher: {Failure}; {Rest}")]
    private static partial void LogSourceFailed(ILogger logger, string failure, string rest);

    [LoggerMessage(EventId = 5050, Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogWarned(ILogger logger, string warning);

    [LoggerMessage(EventId = 5051, Level = LogLevel.Warning,
        Message = "Maintenance watcher failed: the table service answered {Status}; the next tick tries again")]
    private static partial void LogFailed(ILogger logger, int status);
}
