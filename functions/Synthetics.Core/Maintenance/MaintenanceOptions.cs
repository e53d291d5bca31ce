namespace Synthetics.Maintenance;

/// <summary>The <c>Synthetics:Maintenance</c> section.</summary>
public sealed class MaintenanceOptions
{
    /// <summary>Base URL of the provider's Statuspage v2 site. Default Linode's; empty turns maintenance look-ups off.</summary>
    public string? StatusPageUrl { get; set; } = StatusPageClient.LinodeStatusPage.ToString();

    /// <summary>Bound of one status-page request, in seconds. Default 5.</summary>
    public double TimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// The maintenance watcher's first warning: a scheduled maintenance touching a monitored region is announced once
    /// it starts within this lead (at first sight when announced later). Default 24 hours; greater than <see cref="WarnShortlyBefore"/>.
    /// </summary>
    public TimeSpan WarnAhead { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The watcher's second warning, this long before the maintenance starts. Default 1 hour; &gt; 0.</summary>
    public TimeSpan WarnShortlyBefore { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long before an incident's first bad evaluation an account change (<c>/account/events</c>: a cluster update,
    /// recycle, token rotation, NodeBalancer config or node change) still counts as overlapping it: a change takes effect
    /// over minutes. Only with <c>Linode:Token</c>. Default 30 minutes; &gt; 0 and at most 90 days (what the API keeps).
    /// </summary>
    public TimeSpan ChangeLookback { get; set; } = TimeSpan.FromMinutes(30);
}
