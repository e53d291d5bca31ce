namespace Synthetics.Benchmarks;

/// <summary>The lab's topology: three vantages, ca-central with a control plane and two NodeBalancer sites, us-east with a control plane.</summary>
internal static class DetectionTopology
{
    public static readonly string[] Vantages = ["asia-east", "eu-west", "us-central"];

    private static readonly DetectionProbeProfile[] KubernetesProbes =
    [
        new("tcp", 20), new("tls", 60), new("kube-health", 80), new("kube-api", 150),
        // The canary and the watch hold their connection for the run by design (8 s hold, the watch 1 s longer).
        new("lease-canary", 8_000, HeldFor: TimeSpan.FromSeconds(8)),
        new("watch", 9_000, HeldFor: TimeSpan.FromSeconds(9)),
    ];

    public static readonly DetectionTarget[] Targets =
    [
        new("ca-prod-api", "ca-central", "KubernetesApi", KubernetesProbes),
        new("ca-web", "ca-central", "Http", [new("tcp", 20), new("tls", 60), new("http", 110)]),
        new("ca-web-tcp", "ca-central", "Tcp", [new("tcp", 20)]),
        new("us-prod-api", "us-east", "KubernetesApi", KubernetesProbes),
    ];

    /// <summary>The lab's probe schedule: every probe of every target once per cycle.</summary>
    public static readonly TimeSpan Cycle = TimeSpan.FromSeconds(15);

    /// <summary>The probes' timeout: what a stalled run records as its duration.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);
}
