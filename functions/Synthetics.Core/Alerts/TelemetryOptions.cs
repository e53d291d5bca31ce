namespace Synthetics.Alerts;

/// <summary>The <c>Synthetics:Telemetry</c> section.</summary>
public sealed class TelemetryOptions
{
    /// <summary>
    /// Application Insights connection string. Default: the <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> setting Azure
    /// sets for a Function App; with neither, nothing is sent.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Whether the SDK may park unsent telemetry on local disk and retry later. Default true.</summary>
    public bool OfflineStorage { get; set; } = true;
}
