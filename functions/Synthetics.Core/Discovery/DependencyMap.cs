namespace Synthetics.Discovery;

/// <summary>
/// What a target depends on at the provider: its region's components on Linode's status page. A control plane is served
/// through the region's NodeBalancers (the March-12 lesson), so it depends on both <c>… Linode Kubernetes Engine</c> and
/// <c>… NodeBalancers</c>; a NodeBalancer port on <c>… NodeBalancers</c>. Names as status.linode.com spells them, so
/// <see cref="Maintenance.ProviderComponent.Parse"/> reads each back to the same region.
/// </summary>
public static class DependencyMap
{
    /// <summary>The status-page service of LKE control planes.</summary>
    public const string Kubernetes = "Linode Kubernetes Engine";

    /// <summary>The status-page service of NodeBalancers.</summary>
    public const string NodeBalancers = "NodeBalancers";

    // Region id → the status page's region prefix (status.linode.com components, reference/statuspage/linode-components.json).
    private static readonly Dictionary<string, string> Prefixes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["us-east"] = "US-East (Newark)",
        ["us-central"] = "US-Central (Dallas)",
        ["us-west"] = "US-West (Fremont)",
        ["us-southeast"] = "US-Southeast (Atlanta)",
        ["ca-central"] = "CA-Central (Toronto)",
        ["eu-west"] = "EU-West (London)",
        ["eu-central"] = "EU-Central (Frankfurt)",
        ["ap-south"] = "AP-South (Singapore)",
        ["ap-northeast"] = "AP-Northeast-2 (Tokyo 2)",
        ["ap-west"] = "AP-West (Mumbai)",
        ["ap-southeast"] = "AP-Southeast (Sydney)",
    };

    /// <summary>
    /// The status-page components a target of <paramref name="kind"/> in <paramref name="region"/> depends on; empty when
    /// the status page has no component for the region (the region's incidents then show only on the page's global ones).
    /// </summary>
    public static IReadOnlyList<string> ComponentsOf(string kind, string region)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (region is null || !Prefixes.TryGetValue(region, out var prefix))
        {
            return [];
        }

        return string.Equals(kind, nameof(Targets.TargetKind.KubernetesApi), StringComparison.OrdinalIgnoreCase)
            ? [$"{prefix} {Kubernetes}", $"{prefix} {NodeBalancers}"]
            : [$"{prefix} {NodeBalancers}"];
    }
}
