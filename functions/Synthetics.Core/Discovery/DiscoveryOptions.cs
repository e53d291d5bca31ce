using Synthetics.Configuration;

namespace Synthetics.Discovery;

/// <summary>The <c>Synthetics:Discovery</c> section: what discovery keeps and how it retires what vanished.</summary>
public sealed class DiscoveryOptions
{
    /// <summary>
    /// Only clusters and NodeBalancers carrying at least one of these tags are monitored (case-insensitive, as Linode
    /// matches tags). Default empty: everything the token can read.
    /// </summary>
    public List<string> Tags { get; set; } = [];

    /// <summary>
    /// A discovered target is retired after it is missing from this many successful discoveries in a row (1–100), so a
    /// cluster that one answer left out is not dropped. Default 3.
    /// </summary>
    [SettingRange(1, 100)]
    public int RetireAfterMissed { get; set; } = 3;

    /// <summary>
    /// Kubeconfigs of discovered clusters, by cluster id (<c>Synthetics:Discovery:Kubeconfigs:12345</c>): the kubeconfig
    /// itself (YAML or base64), in Azure a Key Vault reference to the secret <c>lke-12345-kubeconfig</c>. A cluster with
    /// one gets every Kubernetes probe (health, API, lease canary, watch) with its credentials and cluster CA; without
    /// one, the probes that need neither (<c>dns</c> for a host name, <c>tcp</c>). Default none.
    /// </summary>
    public Dictionary<string, string> Kubeconfigs { get; set; } = [];
}
