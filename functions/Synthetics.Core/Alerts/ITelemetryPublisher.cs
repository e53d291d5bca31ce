using Synthetics.Detection;
using Synthetics.Results;

namespace Synthetics.Alerts;

/// <summary>Sends what the product learns to Application Insights, where alert rules and workbooks pick it up.</summary>
public interface ITelemetryPublisher
{
    /// <summary>Whether anything is sent (false without a connection string).</summary>
    bool IsEnabled { get; }

    /// <summary>
    /// Every probe result as an availability result (name <c>target/probe</c>, run location = vantage); a not-probed
    /// target's result as a <c>SyntheticsTargetNotProbed</c> event.
    /// </summary>
    void PublishResults(IEnumerable<ProbeResult> results);

    /// <summary>An incident event: <c>SyntheticsIncidentOpened</c>, <c>…Updated</c> or <c>…Resolved</c>.</summary>
    void PublishIncident(IncidentEvent incidentEvent);

    /// <summary>
    /// A discovery run that read the Linode API, as a <c>SyntheticsDiscovery</c> event: what it found and changed, or why
    /// it failed (the catalog then stays as it was). Default: nothing sent.
    /// </summary>
    void PublishDiscovery(Pipeline.DiscoveryRun run)
    {
    }

    /// <summary>
    /// A maintenance about to touch monitored regions, as a <c>SyntheticsMaintenanceAhead</c> event (once per maintenance
    /// and stage across the apps). Default: nothing sent.
    /// </summary>
    void PublishMaintenanceWarning(Maintenance.MaintenanceWarning warning, string vantage)
    {
    }

    /// <summary>Sends what is buffered; call at the end of every invocation (a Function host may freeze right after).</summary>
    Task<bool> FlushAsync(CancellationToken cancellationToken);
}
