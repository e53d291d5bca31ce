namespace Synthetics.Maintenance;

/// <summary>The <c>Synthetics:Maintenance</c> section.</summary>
public sealed class MaintenanceOptions
{
    /// <summary>Base URL of the provider's Statuspage v2 site. Default Linode's; empty turns maintenance look-ups off.</summary>
    public string? StatusPageUrl { get; set; } = StatusPageClient.LinodeStatusPage.ToString();

    /// <summary>Bound of one status-page request, in seconds. Default 5.</summary>
    public double TimeoutSeconds { get; set; } = 5;
}
