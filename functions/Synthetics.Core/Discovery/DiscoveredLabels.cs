namespace Synthetics.Discovery;

/// <summary>
/// Labels a target carries that tie it to the Linode account's entities (discovery sets them; a settings target may set
/// them too): what the account's notices and events are matched against.
/// </summary>
public static class DiscoveredLabels
{
    /// <summary>The LKE cluster's id, e.g. <c>12345</c>.</summary>
    public const string ClusterId = "clusterId";

    /// <summary>The NodeBalancer's id, e.g. <c>880101</c>.</summary>
    public const string NodeBalancerId = "nodeBalancerId";
}
