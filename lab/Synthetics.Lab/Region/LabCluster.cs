using Synthetics.Lab.Certificates;
using Synthetics.Lab.Kubernetes;
using Synthetics.Lab.NodeBalancers;

namespace Synthetics.Lab.Region;

/// <summary>
/// One LKE cluster of a <see cref="LabRegion"/>: its API server (own CA, own token) behind a control-plane
/// NodeBalancer that clients reach through one listener per vantage.
/// </summary>
public sealed class LabCluster
{
    private readonly CertificateAuthority _authority;

    internal LabCluster(
        long id, string label, string linodeRegion, CertificateAuthority authority, LabKubernetesApi api, string token, NodeBalancer nodeBalancer)
    {
        Id = id;
        Label = label;
        LinodeRegion = linodeRegion;
        _authority = authority;
        Api = api;
        Token = token;
        NodeBalancer = nodeBalancer;
    }

    /// <summary>The LKE cluster id, as the Linode API lists it.</summary>
    public long Id { get; }

    /// <summary>The cluster label, e.g. <c>ca-prod</c>.</summary>
    public string Label { get; }

    /// <summary>The Linode region id, e.g. <c>ca-central</c>.</summary>
    public string LinodeRegion { get; }

    /// <summary>The API server, reached directly only by the NodeBalancer.</summary>
    public LabKubernetesApi Api { get; }

    /// <summary>The control-plane NodeBalancer in front of <see cref="Api"/>.</summary>
    public NodeBalancer NodeBalancer { get; }

    /// <summary>The cluster CA as PEM.</summary>
    public string CaPem => _authority.CertificatePem;

    /// <summary>The bearer token the cluster accepts. A lab secret: goes into kubeconfig files, never into output.</summary>
    internal string Token { get; }

    /// <summary>The API URL clients of <paramref name="vantage"/> use: the NodeBalancer's listener for it.</summary>
    public Uri GetServerUrl(string vantage)
    {
        var endpoint = NodeBalancer.GetEndpoint(vantage);
        return new Uri($"https://{endpoint.Address}:{endpoint.Port}");
    }

    /// <summary>A token kubeconfig (YAML) for clients of <paramref name="vantage"/>, verified against the cluster CA.</summary>
    public string CreateKubeconfig(string vantage) => Api.CreateKubeconfig(Label, GetServerUrl(vantage), Token);
}
