using Synthetics.Detection;
using Synthetics.Results;

namespace Synthetics.Alerts;

/// <summary>Used when no Application Insights connection string is configured: local runs, the lab without a receiver.</summary>
internal sealed class DisabledTelemetryPublisher : ITelemetryPublisher
{
    public bool IsEnabled => false;

    public void PublishResults(IEnumerable<ProbeResult> results)
    {
    }

    public void PublishIncident(IncidentEvent incidentEvent)
    {
    }

    public Task<bool> FlushAsync(CancellationToken cancellationToken) => Task.FromResult(true);
}
