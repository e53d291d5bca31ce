namespace Synthetics.Benchmarks;

/// <summary>The lab's topology: three vantages, ca-central with a control plane and two NodeBalancer sites, us-east with a control plane.</summary>
internal static class DetectionTopology
{
    public static readonly string[] Vantages = ["asia-east", "eu-west", "us-central"];

    private static readonly DetectionProbeProfile[] KubernetesProbes =
    [
        new("tcp", 20), new("tls", 60), new("kube-health", 80), new("kube-api", 150),
        // The canary and the watch hold their connection for the run by design (the shipped 40 s hold, the watch 1 s longer).
        new("lease-canary", 40_000, HeldFor: TimeSpan.FromSeconds(40)),
        new("watch", 41_000, HeldFor: TimeSpan.FromSeconds(41)),
    ];

    public static readonly DetectionTarget[] Targets =
    [
        new("ca-prod-api", "ca-central", "KubernetesApi", KubernetesProbes, SampleMs: 80),
        new("ca-web", "ca-central", "Http", [new("tcp", 20), new("tls", 60), new("http", 110)], SampleMs: 110),
        new("ca-web-tcp", "ca-central", "Tcp", [new("tcp", 20)], SampleMs: 20, Reused: false),
        new("us-prod-api", "us-east", "KubernetesApi", KubernetesProbes, SampleMs: 80),
    ];

    /// <summary>
    /// Samples per series per cycle: the shipped disruption sampler's one a second over its sampling period.
    /// </summary>
    public const int SamplesPerCycle = 36;

    /// <summary>Probes that open a new connection for their request: what a slower connect slows.</summary>
    public static readonly HashSet<string> NewConnectionProbes = ["tcp", "tls", "kube-health", "kube-api", "http"];

    /// <summary>The shipped probe schedule: every probe of every target once per cycle, a cycle a minute.</summary>
    public static readonly TimeSpan Cycle = TimeSpan.FromMinutes(1);

    /// <summary>The probes' timeout: what a stalled run records as its duration.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);
}
