namespace Synthetics.Targets;

/// <summary>What a target is, which decides the probes it gets by default.</summary>
public enum TargetKind
{
    /// <summary>An LKE control plane, reached with a kubeconfig.</summary>
    KubernetesApi,

    /// <summary>An HTTP(S) endpoint, typically a site behind a NodeBalancer.</summary>
    Http,

    /// <summary>A TCP port, typically a NodeBalancer port.</summary>
    Tcp,
}
