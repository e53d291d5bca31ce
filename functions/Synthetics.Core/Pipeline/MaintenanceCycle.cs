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
/// The maintenance watcher: reads the provider's status page (<see cref="IMaintenanceSource"/>) and warns when a scheduled
/// maintenance will touch a region with monitored targets: first within <c>Maintenance:WarnAhead</c> (24 h; at first sight
/// when announced later), again within <c>Maintenance:WarnShortlyBefore</c> (1 h). Each maintenance and stage is warned
/// once across every app racing on the schedule: the warning is an insert-if-absent claim (<see cref="IRunClaims"/>,
/// run <c>maintenance-&lt;stage&gt;|&lt;id&gt;</c>, slot the start), and only its winner sends the
/// <c>SyntheticsMaintenanceAhead</c> event. A status page that cannot be read is no warning (the source logs it); a
/// failing table service is a failed run, not an exception.
/// </summary>
public sealed partial class MaintenanceCycle : IPipelineCycle
{
    /// <summary>The timer trigger's schedule expression: the <c>Synthetics:MaintenanceSchedule</c> app setting.</summary>
    public const string ScheduleSetting = "%Synthetics:MaintenanceSchedule%";

    private readonly IMaintenanceSource _maintenances;
    private readonly ITargetCatalogSource _catalog;
    private readonly IRunClaims _claims;
    private readonly ITelemetryPublisher _telemetry;
    private readonly TimeProvider _time;
    private readonly SyntheticsOptions _options;
    private readonly ILogger<MaintenanceCycle> _logger;

    public MaintenanceCycle(
        IMaintenanceSource maintenances,
        ITargetCatalogSource catalog,
        IRunClaims claims,
        ITelemetryPublisher telemetry,
        TimeProvider time,
        IOptions<SyntheticsOptions> options,
        ILogger<MaintenanceCycle> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _maintenances = maintenances;
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

    /// <summary>Warns of what is due and not yet warned by any app. Returns normally whatever the status page and the table service did.</summary>
    public async Task<MaintenanceRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var settings = _options.Maintenance;
        var catalog = await _catalog.GetAsync(cancellationToken);
        var monitored = catalog.Targets.Select(t => (t.Name, t.Region, Probes: string.Join("/", t.Probes.Order(StringComparer.Ordinal))))
            .Concat(catalog.Unresolved.Select(u => (u.Name, u.Region, Probes: "")))
            .ToList();
        var upcoming = (await _maintenances.GetAsync(cancellationToken))
            .Where(m => m.StartsWithin(now, settings.WarnAhead) && monitored.Any(t => m.Touches(t.Region)))
            .ToList();
        var sent = new List<MaintenanceWarning>();
        try
        {
            foreach (var maintenance in upcoming)
            {
                var affected = monitored.Where(t => maintenance.Touches(t.Region)).ToList();
                var stage = maintenance.ScheduledFor!.Value - now <= settings.WarnShortlyBefore ? MaintenanceWarning.Shortly : MaintenanceWarning.Ahead;
                // A maintenance first seen inside the short lead gets one warning; its "ahead" stage is claimed with it, so
                // it is never sent after the later one.
                var stages = stage == MaintenanceWarning.Shortly ? new[] { MaintenanceWarning.Ahead, MaintenanceWarning.Shortly } : [MaintenanceWarning.Ahead];
                var won = false;
                foreach (var claimed in stages)
                {
                    won = await _claims.TryClaimAsync($"maintenance-{claimed}|{maintenance.Id}", maintenance.ScheduledFor.Value, _options.VantagePoint, cancellationToken);
                }

                if (!won)
                {
                    continue;
                }

                var regions = affected.Select(t => t.Region).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
                var warning = new MaintenanceWarning(
                    maintenance, stage, regions, [.. affected.Select(t => t.Name)],
                    $"from every vantage, every probe of {string.Join(", ", affected.Select(t => t.Probes.Length > 0 ? $"{t.Name} ({t.Probes})" : t.Name))}; an incident in its window names it");
                _telemetry.PublishMaintenanceWarning(warning, _options.VantagePoint);
                LogWarned(_logger, warning.Summary);
                sent.Add(warning);
            }
        }
        catch (Exception ex) when (TableServiceFailure.Is(ex, out var status))
        {
            LogFailed(_logger, status);
            await _telemetry.FlushAsync(cancellationToken);
            return new MaintenanceRun(now, upcoming.Count, sent, status);
        }

        await _telemetry.FlushAsync(cancellationToken);
        return new MaintenanceRun(now, upcoming.Count, sent, null);
    }

    async Task IPipelineCycle.RunOnceAndNotifyAsync(IReadOnlyList<IPipelineObserver> observers, CancellationToken cancellationToken)
    {
        var run = await RunOnceAsync(cancellationToken);
        foreach (var observer in observers)
        {
            await observer.OnMaintenanceAsync(run, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 5050, Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogWarned(ILogger logger, string warning);

    [LoggerMessage(EventId = 5051, Level = LogLevel.Warning,
        Message = "Maintenance watcher failed: the table service answered {Status}; the next tick tries again")]
    private static partial void LogFailed(ILogger logger, int status);
}
