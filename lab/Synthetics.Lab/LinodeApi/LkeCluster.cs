namespace Synthetics.Lab.LinodeApi;

/// <summary>An LKE cluster as the Linode API reports it, with what the lab hands out for it.</summary>
public sealed record LkeCluster
{
    /// <summary>The cluster id (path parameter <c>clusterId</c>).</summary>
    public required long Id { get; init; }

    /// <summary>The label, 1..32 characters.</summary>
    public required string Label { get; init; }

    /// <summary>The Linode region id, e.g. <c>ca-central</c>.</summary>
    public required string Region { get; init; }

    /// <summary>The Kubernetes minor version, e.g. <c>1.31</c>.</summary>
    public string K8sVersion { get; init; } = "1.31";

    /// <summary>
    /// <c>ready</c> or <c>not_ready</c>. The live API and linodego return it although spec 4.189.0 does not
    /// list it. Default <c>ready</c>.
    /// </summary>
    public string Status { get; init; } = "ready";

    /// <summary>Whether the control plane is highly available. Default false.</summary>
    public bool HighAvailability { get; init; }

    public DateTimeOffset Created { get; init; }

    public DateTimeOffset Updated { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The control-plane ACL, or null when the cluster has none (the API answers 400 for it).</summary>
    public LkeControlPlaneAcl? Acl { get; init; }

    /// <summary>
    /// The kubeconfig as YAML; the API serves it base64-encoded. Empty means the cluster is still
    /// provisioning, which the API answers with 503.
    /// </summary>
    public string KubeconfigYaml { get; init; } = "";

    /// <summary>The control plane endpoints, e.g. <c>https://127.0.0.1:6443</c>.</summary>
    public IReadOnlyList<string> ApiEndpoints { get; init; } = [];
}
