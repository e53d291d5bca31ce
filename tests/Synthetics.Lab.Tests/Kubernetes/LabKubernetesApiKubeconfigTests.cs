using System.Net;
using System.Net.Sockets;
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
    public async Task ServingCertificate_ReachedAsLkeHostname_PassesTlsValidation()
    {
        await using var cluster = await TestCluster.StartAsync();
        var port = cluster.Api.Port;
        var handler = TestCluster.TrustingHandler(cluster.Authority);

        // Resolve the LKE hostname to the lab, as a client behind a NodeBalancer would reach it.
        handler.ConnectCallback = async (_, token) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, port, token);
            return new NetworkStream(socket, ownsSocket: true);
        };
        using var http = new HttpClient(handler);

        var body = await http.GetStringAsync(new Uri($"https://1a2b3c.ca-central-1.linodelke.net:{port}/version"));

        Assert.Contains("\"gitVersion\"", body, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync(new Uri($"https://other.linodelke.net:{port}/version")));
    }
}
