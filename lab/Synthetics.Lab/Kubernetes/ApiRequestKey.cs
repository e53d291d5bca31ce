namespace Synthetics.Lab.Kubernetes;

/// <summary>A request as counted by <see cref="LabKubernetesApi"/>: HTTP method and path without query.</summary>
/// <param name="Method">HTTP method in upper case, e.g. <c>GET</c>.</param>
/// <param name="Path">Request path, e.g. <c>/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/x</c>.</param>
public readonly record struct ApiRequestKey(string Method, string Path);
