using System.Security.Cryptography.X509Certificates;

namespace Synthetics.Targets;

/// <summary>One thing to watch, validated: a control plane, an HTTP endpoint or a TCP port.</summary>
public sealed record Target
{
    /// <summary>Unique name, as in results and alerts.</summary>
    public required string Name { get; init; }

    public required TargetKind Kind { get; init; }

    /// <summary>Linode region id, e.g. <c>ca-central</c>.</summary>
    public required string Region { get; init; }

    /// <summary>Where the network probes connect: host, port and whether TLS is spoken there.</summary>
    public required TargetEndpoint Endpoint { get; init; }

    /// <summary>Hard timeout of each probe of this target.</summary>
    public required TimeSpan Timeout { get; init; }

    /// <summary>A successful probe slower than this is <c>slow</c>.</summary>
    public required TimeSpan SlowThreshold { get; init; }

    /// <summary>The probes to run (names as in results: <c>dns</c>, <c>tcp</c>, …).</summary>
    public required IReadOnlySet<string> Probes { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// CA certificates trusted for this target instead of the system store (the cluster CA of a kubeconfig,
    /// or an Http target's <c>CaFile</c>); <c>null</c> means the system store.
    /// </summary>
    public X509Certificate2Collection? TrustedCertificates { get; init; }

    /// <summary>Http targets: the URL and what to expect of the answer.</summary>
    public HttpExpectation? Http { get; init; }

    /// <summary>KubernetesApi targets: how to authenticate. Never logged.</summary>
    public KubernetesCredentials? Kubernetes { get; init; }

    /// <summary>KubernetesApi targets: canary namespace, election timings, hold. Null means <see cref="KubernetesCanarySettings.Default"/>.</summary>
    public KubernetesCanarySettings? Canary { get; init; }

    public override string ToString() => $"{Name} ({Kind}, {Region})";
}
