using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;
using Synthetics.Pipeline;
using Synthetics.Targets;

namespace Synthetics.Discovery;

/// <summary>
/// The settings' catalog merged with the discovered one (settings win by name), read from the catalog table at each
/// cycle. Without <c>Synthetics:Linode:Token</c> it is the settings' catalog, untouched. The read is bounded by
/// <see cref="ReadBudget"/>: probing never waits on storage. A table service that fails or is slow keeps the last catalog
/// read (logged once per failure streak); the catalog is rebuilt only when what was read changed, so targets keep their
/// identity (and their kept connections) from cycle to cycle.
/// </summary>
internal sealed partial class DiscoveredCatalogSource(
    TargetCatalog settings,
    TargetCatalogFactory factory,
    ITargetCatalogStore store,
    TimeProvider time,
    IOptions<SyntheticsOptions> options,
    ILogger<DiscoveredCatalogSource> logger) : ITargetCatalogSource
{
    /// <summary>How long a cycle waits for the catalog table before it probes the last catalog read: 2 s (scaled).</summary>
    internal TimeSpan ReadBudget { get; } = TimeSpan.FromSeconds(2 / options.Value.TimeScale);

    private readonly Lock _gate = new();
    private string? _signature;
    private readonly TargetCatalog _settings = settings;
    private TargetCatalog? _current;
    private bool _failing;

    public async Task<TargetCatalog> GetAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value;
        if (!configured.Linode.IsEnabled)
        {
            return _settings;
        }

        IReadOnlyList<DiscoveredTarget> discovered;
        using var budget = new CancellationTokenSource(ReadBudget, time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            discovered = await store.ReadAsync(bounded.Token);
            if (_failing)
            {
                _failing = false;
                LogRecovered(logger);
            }
        }
        catch (Exception ex) when (ReadFailure(ex, cancellationToken) is { } status)
        {
            if (!_failing)
            {
                _failing = true;
                LogReadFailed(logger, status);
            }

            lock (_gate)
            {
                return _current ?? _settings;
            }
        }

        // What the targets are built from; Missed and LastSeen change every discovery and build nothing.
        var signature = JsonSerializer.Serialize(discovered.Select(d => new { d.Key, d.Name, d.Kind, d.Region, d.Url, d.Host, d.Port, d.ClusterId, d.Labels }));
        lock (_gate)
        {
            if (signature == _signature && _current is not null)
            {
                return _current;
            }
        }

        var catalog = factory.WithDiscovered(configured, _settings, discovered);
        lock (_gate)
        {
            _signature = signature;
            _current = catalog;
        }

        var fromSettings = _settings.Targets.Count + _settings.Unresolved.Count;
        LogCatalog(logger, fromSettings, catalog.Targets.Count + catalog.Unresolved.Count - fromSettings);
        return catalog;
    }

    /// <summary>The table service's status when <paramref name="exception"/> is its failure, 0 when the read ran out of its budget.</summary>
    private static int? ReadFailure(Exception exception, CancellationToken cancellationToken) =>
        TableServiceFailure.Is(exception, out var status) ? status
        : exception is OperationCanceledException && !cancellationToken.IsCancellationRequested ? 0
        : null;

    [LoggerMessage(EventId = 5043, Level = LogLevel.Information,
        Message = "Target catalog: {Settings} targets from settings, {Discovered} discovered")]
    private static partial void LogCatalog(ILogger logger, int settings, int discovered);

    [LoggerMessage(EventId = 5044, Level = LogLevel.Warning,
        Message = "The discovered target catalog could not be read (table service answered {Status}; 0: no answer in time); probing the last catalog read")]
    private static partial void LogReadFailed(ILogger logger, int status);

    [LoggerMessage(EventId = 5045, Level = LogLevel.Information, Message = "The discovered target catalog can be read again")]
    private static partial void LogRecovered(ILogger logger);
}
