namespace Synthetics.Discovery;

/// <summary>
/// One target discovery found, as the catalog table keeps it: what the probes need (no secret: a cluster's kubeconfig
/// comes from settings at probe time), where it came from, and how many discoveries in a row have missed it.
/// </summary>
public sealed record DiscoveredTarget
{
    /// <summary>Stable key of the source entity: <c>lke-12345</c> or <c>nodebalancer-880101-config-120101</c>.</summary>
    public required string Key { get; init; }

    /// <summary>The target name: <c>&lt;cluster label&gt;-api</c>, <c>&lt;NodeBalancer label&gt;-&lt;port&gt;</c>.</summary>
    public required string Name { get; init; }

    /// <summary><c>KubernetesApi</c>, <c>Http</c> or <c>Tcp</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Linode region id.</summary>
    public required string Region { get; init; }

    /// <summary>KubernetesApi and Http: the URL (the API endpoint; the NodeBalancer's URL with its check path).</summary>
    public string? Url { get; init; }

    /// <summary>Tcp: host.</summary>
    public string? Host { get; init; }

    /// <summary>Tcp: port.</summary>
    public int? Port { get; init; }

    /// <summary>KubernetesApi: the cluster id, which names its kubeconfig setting.</summary>
    public long? ClusterId { get; init; }

    /// <summary>Labels: <c>linodeSource</c>, <c>clusterId</c>, <c>cluster</c>, <c>nodeBalancerId</c>, <c>tags</c>, <c>highAvailability</c>…</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Successful discoveries in a row that did not find it (0: the last one did).</summary>
    public int Missed { get; init; }

    /// <summary>When a discovery last found it.</summary>
    public DateTimeOffset LastSeen { get; init; }
}
