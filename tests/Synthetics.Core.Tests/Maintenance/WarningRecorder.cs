using System.Collections.Concurrent;
using Synthetics.Alerts;
using Synthetics.Detection;
using Synthetics.Maintenance;
using Synthetics.Results;

namespace Synthetics.Core.Tests.Maintenance;

/// <summary>Keeps every maintenance warning an app sends, whichever of the racing apps sends it.</summary>
internal sealed class WarningRecorder : ITelemetryPublisher
{
    private readonly ConcurrentQueue<MaintenanceWarning> _warnings = new();

    public IReadOnlyList<MaintenanceWarning> Warnings => [.. _warnings];

    public bool IsEnabled => true;

    public void PublishResults(IEnumerable<ProbeResult> results)
    {
    }

    public void PublishIncident(IncidentEvent incidentEvent)
    {
    }

    public void PublishMaintenanceWarning(MaintenanceWarning warning, string vantage) => _warnings.Enqueue(warning);

    public Task<bool> FlushAsync(CancellationToken cancellationToken) => Task.FromResult(true);
}
