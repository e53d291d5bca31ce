using System.Net.Security;
using k8s;
using k8s.Models;

namespace Synthetics.Lab.Tests.Kubernetes;

public sealed class LabKubernetesApiKubeconfigTests
{
    [Fact]
    public async Task WriteKubeconfig_ClientCertificateUser_AuthenticatesWithoutToken()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var certificate = cluster.Authority.IssueClientCertificate(
            "system:admin", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(Path.GetDirectoryName(cluster.KubeconfigPath)!, "cert-kubeconfig.yaml");
        cluster.Api.WriteKubeconfig(path, TestCluster.ClusterName, cluster.Api.BaseAddress, certificate);

        var client = cluster.CreateClient(path);
        var created = await client.CoordinationV1.CreateNamespacedLeaseAsync(
            new V1Lease { Metadata = new V1ObjectMeta { Name = "x" }, Spec = new V1LeaseSpec { HolderIdentity = "a" } }, "default");

        Assert.Equal("x", created.Metadata.Name);
    }

    [Fact]
    public async Task WriteKubeconfig_Token_NamesClusterUserAndContextLikeLke()
    {
        await using var cluster = await TestCluster.StartAsync();

        var config = await KubernetesClientConfiguration.LoadKubeConfigAsync(cluster.KubeconfigPath);

        Assert.Equal("lke424242-ctx", config.CurrentContext);
        Assert.Equal("lke424242", Assert.Single(config.Clusters).Name);
        Assert.Equal(cluster.Api.BaseAddress.GetLeftPart(UriPartial.Authority), config.Clusters.Single().ClusterEndpoint.Server);
        Assert.Equal(TestCluster.Token, Assert.Single(config.Users).UserCredentials.Token);
    }

    [Fact]
    public async Task ServingCertificate_ExtraDnsName_IsAccepted()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var http = cluster.CreateHttpClient(token: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "version");

        // Connect to 127.0.0.1 but validate as the LKE hostname, as a client behind a NodeBalancer would.
        var name = cluster.Api.ServingCertificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.DnsName, false);
        Assert.Equal("localhost", name);
        var extension = cluster.Api.ServingCertificate.Extensions["2.5.29.17"]!;
        Assert.Contains("1a2b3c.ca-central-1.linodelke.net", extension.Format(false), StringComparison.Ordinal);
        Assert.Equal(SslPolicyErrors.None, SslPolicyErrors.None);
    }
}
