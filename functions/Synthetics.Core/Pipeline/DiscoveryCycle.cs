using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synthetics.Alerts;
using Synthetics.Configuration;
using Synthetics.Discovery;
using Synthetics.Scheduling;
using Synthetics.Storage;

namespace Synthetics.Pipeline;

/// <summary>
/// Reads the user's estate from the Linode API (<see cref="LinodeDiscoverer"/>) and applies it to the shared target
/// catalog, which every vantage's probe cycle reads. Off without <c>Synthetics:Linode:Token</c>. Every app runs the
/// schedule, but one discovers per occurrence (the first to claim it, <see cref="IRunClaims"/>), so a miss is counted
/// once per discovery. An API that refuses, fails, times out or answers garbage never touches the catalog: the last good
/// one stays, and the failure is one warning line (log 5041) and a <c>SyntheticsDiscovery</c> event with
/// <c>succeeded</c> false. A failing table service is a failed run, not an exception.
/// </summary>
public sealed partial class DiscoveryCycle : IPipelineCycle
{
    /// <summary>The timer trigger's schedule expression: the <c>Synthetics:DiscoverySchedule</c> app setting.</summary>
    public const string ScheduleSetting = "%Synthetics:DiscoverySchedule%";

    /// <summary>The run name of discovery's claims.</summary>
    public const string RunName = "discovery";

    private readonly IHttpClientFactory _httpClients;
    private readonly ITargetCatalogStore _store;
    private readonly IRunClaims _claims;
    private readonly ITelemetryPublisher _telemetry;
    private readonly TimeProvider _time;
    private readonly SyntheticsOptions _options;
    private readonly ILogger<DiscoveryCycle> _logger;

    public DiscoveryCycle(
        IHttpClientFactory httpClients,
        ITargetCatalogStore store,
        IRunClaims claims,
        ITelemetryPublisher telemetry,
        TimeProvider time,
        IOptions<SyntheticsOptions> options,
        ILogger<DiscoveryCycle> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _httpClients = httpClients;
        _store = store;
        _claims = claims;
        _telemetry = telemetry;
        _time = time;
        _options = options.Value;
        _logger = logger;
        Schedule = CronSchedule.Parse("Synthetics:DiscoverySchedule", _options.DiscoverySchedule, _options.TimeScale);
    }

    public string Name => "Discover";

    /// <summary><c>Synthetics:DiscoverySchedule</c> (default hourly at 7 min 20 s past) on <c>Synthetics:TimeScale</c>.</summary>
    public CronSchedule Schedule { get; }

    /// <summary>Whether discovery runs at all: <c>Synthetics:Linode:Token</c> is set.</summary>
    public bool IsEnabled => _options.Linode.IsEnabled;

    /// <summary>
    /// Runs discovery once, if discovery is on and this app claims the schedule occurrence the run belongs to; otherwise a
    /// disabled or skipped run. Returns normally whatever the API and the table service did.
    /// </summary>
    public Task<DiscoveryRun> RunOnceAsync(CancellationToken cancellationToken) => RunAsync(claimSlot: true, cancellationToken);

    /// <summary>
    /// When the shared catalog is empty (a first start), discovers now rather than at the next tick, without claiming a
    /// slot, so the first probe cycle already has the estate; otherwise nothing. Null when nothing was run.
    /// </summary>
    public async Task<DiscoveryRun?> RunIfCatalogEmptyAsync(CancellationToken cancellationToken)
    {
        if (!IsEnabled)
        {
            return null;
        }

        try
        {
            if ((await _store.ReadAsync(cancellationToken)).Count > 0)
            {
                return null;
            }
        }
        catch (Exception ex) when (TableServiceFailure.Is(ex, out _))
        {
            // The scheduled run reports the table service; a start does not wait on it.
            return null;
        }

        return await RunAsync(claimSlot: false, cancellationToken);
    }

    private async Task<DiscoveryRun> RunAsync(bool claimSlot, CancellationToken cancellationToken)
    {
        var at = _time.GetUtcNow();
        var vantage = _options.VantagePoint;
        if (!IsEnabled)
        {
            return new DiscoveryRun(at, vantage, null, null, null) { Disabled = true };
        }

        DiscoveryRun run;
        try
        {
            if (claimSlot)
            {
                var slot = RetentionCycle.Occurrence(Schedule, at);
                if (!await _claims.TryClaimAsync(RunName, slot, vantage, cancellationToken))
                {
                    LogSkipped(_logger, slot);
                    return new DiscoveryRun(at, vantage, null, null, null) { Skipped = true };
                }
            }

            DiscoveryResult result;
            try
            {
                result = await LinodeDiscoverer.Create(_httpClients, _options, _time).DiscoverAsync(cancellationToken);
            }
            catch (Linode.LinodeApiException ex)
            {
                result = DiscoveryResult.Failed(ex.Message, ex.StatusCode);
            }

            if (result.Failure is { } failure)
            {
                LogFailed(_logger, failure);
                run = new DiscoveryRun(at, vantage, result, null, failure);
            }
            else
            {
                var change = await _store.ApplyAsync(result.Targets, _options.Discovery.RetireAfterMissed, cancellationToken);
                LogDone(_logger, result.Clusters, result.NodeBalancers, result.Targets.Count, change.Added.Count, change.Missing.Count, change.Retired.Count);
                foreach (var name in change.Retired)
                {
                    LogRetired(_logger, name, _options.Discovery.RetireAfterMissed);
                }

                run = new DiscoveryRun(at, vantage, result, change, null);
            }
        }
        catch (Exception ex) when (TableServiceFailure.Is(ex, out var status))
        {
            LogTableFailed(_logger, status);
            run = new DiscoveryRun(at, vantage, null, null, $"the target catalog could not be written (table service answered {status})");
        }

        _telemetry.PublishDiscovery(run);
        await _telemetry.FlushAsync(cancellationToken);
        return run;
    }

    async Task IPipelineCycle.RunOnceAndNotifyAsync(IReadOnlyList<IPipelineObserver> observers, CancellationToken cancellationToken)
    {
        var run = await RunOnceAsync(cancellationToken);
        foreach (var observer in observers)
        {
            await observer.OnDiscoveryAsync(run, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 5040, Level = LogLevel.Information,
        Message = "Discovery finished: {Clusters} LKE clusters, {NodeBalancers} NodeBalancers, {Targets} targets; {Added} new, {Missing} missing, {Retired} retired")]
    private static partial void LogDone(ILogger logger, int clusters, int nodeBalancers, int targets, int added, int missing, int retired);

    [LoggerMessage(EventId = 5041, Level = LogLevel.Warning,
        Message = "Discovery failed, the target catalog is kept as it was: {Failure}")]
    private static partial void LogFailed(ILogger logger, string failure);

    [LoggerMessage(EventId = 5042, Level = LogLevel.Warning,
        Message = "Discovery failed: the table service answered {Status}; the next tick tries again")]
    private static partial void LogTableFailed(ILogger logger, int status);

    [LoggerMessage(EventId = 5046, Level = LogLevel.Information, Message = "Discovery of {Slot:O} skipped: another app claimed it")]
    private static partial void LogSkipped(ILogger logger, DateTimeOffset slot);

    [LoggerMessage(EventId = 5047, Level = LogLevel.Information,
        Message = "Target {Target} retired: missing from {Discoveries} discoveries in a row")]
    private static partial void LogRetired(ILogger logger, string target, int discoveries);
}
