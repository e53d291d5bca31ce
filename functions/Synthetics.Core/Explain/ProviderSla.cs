namespace Synthetics.Explain;

/// <summary>
/// The provider's monthly commitment an uptime report is compared with. Linode's Non-Compute Service Level Addendum
/// (version 1.1, effective 1 February 2021) covers the Linode Kubernetes Engine and NodeBalancers with a 99.9% monthly
/// uptime guarantee, and exempts disruption caused by a scheduled maintenance the account holder was given at least
/// 24 hours' notice of (as well as factors outside the provider's control and force majeure, which a monitor cannot
/// tell).
/// </summary>
/// <param name="Name">The agreement, as cited in the report.</param>
/// <param name="UptimeGuarantee">The guaranteed monthly uptime, 0–1.</param>
/// <param name="MaintenanceNotice">How far ahead a maintenance must be announced to be exempt.</param>
/// <param name="Source">Where the text is published.</param>
public sealed record ProviderSla(string Name, double UptimeGuarantee, TimeSpan MaintenanceNotice, string Source)
{
    /// <summary>Linode's Non-Compute SLA v1.1: LKE and NodeBalancers, 99.9%, maintenance announced 24 h ahead exempt.</summary>
    public static ProviderSla LinodeNonCompute { get; } = new(
        "Linode Non-Compute Service Level Addendum v1.1 (Linode Kubernetes Engine, NodeBalancers)",
        0.999,
        TimeSpan.FromHours(24),
        "https://www.linode.com/legal-sla-non-compute/");

    /// <summary>The downtime the guarantee allows in a month of <paramref name="minutes"/> minutes.</summary>
    public double AllowedDowntimeMinutes(double minutes) => minutes * (1 - UptimeGuarantee);
}
