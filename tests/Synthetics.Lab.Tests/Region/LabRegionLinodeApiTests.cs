using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using Synthetics.Lab.Region;

namespace Synthetics.Lab.Tests.Region;

public sealed class LabRegionLinodeApiTests : IDisposable
{
    private readonly string _directory = RegionSupport.TempDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task LinodeApi_Region_ListsBothClustersAndEveryNodeBalancerWithConfigsAndNodes()
    {
        await using var region = await LabRegion.StartAsync();
        using var client = LinodeClient(region);

        var clusters = (await GetAsync(client, "v4/lke/clusters"))["data"]!.AsArray();
        Assert.Equal(["ca-prod", "us-prod"], clusters.Select(c => (string?)c!["label"]));
        Assert.Equal([LabRegion.CaCentral, LabRegion.UsEast], clusters.Select(c => (string?)c!["region"]));

        var caId = (long)clusters[0]!["id"]!;
        var endpoints = (await GetAsync(client, $"v4/lke/clusters/{caId}/api-endpoints"))["data"]!.AsArray();
        var nodeBalancer = region.GetCluster(LabRegion.CaCentral).NodeBalancer.GetEndpoint(region.Vantages[0]);
        Assert.Equal($"https://127.0.0.1:{nodeBalancer.Port}", (string?)endpoints.Single()!["endpoint"]);

        var nodeBalancers = (await GetAsync(client, "v4/nodebalancers"))["data"]!.AsArray();
        Assert.Equal(["ca-prod-cp", "us-prod-cp", "ca-web"], nodeBalancers.Select(n => (string?)n!["label"]));
        var web = nodeBalancers[2]!;
        Assert.Equal(LabRegion.CaCentral, (string?)web["region"]);
        var configs = (await GetAsync(client, $"v4/nodebalancers/{web["id"]}/configs"))["data"]!.AsArray();
        Assert.Equal(region.WebNodeBalancer.GetEndpoint(region.Vantages[0]).Port, (int)configs.Single()!["port"]!);
        var nodes = (await GetAsync(client, $"v4/nodebalancers/{web["id"]}/configs/{configs[0]!["id"]}/nodes"))["data"]!.AsArray();
        Assert.Equal(region.WebBackends.Endpoints.Select(e => e.ToString()), nodes.Select(n => (string?)n!["address"]));
        Assert.All(nodes, node => Assert.Equal("UP", (string?)node!["status"]));

        var regions = (await GetAsync(client, "v4/regions"))["data"]!.AsArray();
        Assert.Equal([LabRegion.CaCentral, LabRegion.UsEast], regions.Select(r => (string?)r!["id"]));
    }

    [Fact]
    public async Task Kubeconfig_ServedByLinodeApi_LoadsWithKubernetesClientAndReachesTheApiThroughTheNodeBalancer()
    {
        await using var region = await LabRegion.StartAsync();
        using var client = LinodeClient(region);
        var cluster = region.GetCluster(LabRegion.UsEast);

        var body = await GetAsync(client, $"v4/lke/clusters/{cluster.Id}/kubeconfig");
        var path = Path.Combine(_directory, "served.kubeconfig");
        await File.WriteAllTextAsync(path, Encoding.UTF8.GetString(Convert.FromBase64String((string)body["kubeconfig"]!)));

        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        var nodeBalancer = cluster.NodeBalancer.GetEndpoint(region.Vantages[0]);
        Assert.Equal(new Uri($"https://127.0.0.1:{nodeBalancer.Port}"), new Uri(configuration.Host));
        using var kubernetes = new k8s.Kubernetes(configuration);
        var leases = await kubernetes.CoordinationV1.ListNamespacedLeaseAsync("default");
        Assert.Empty(leases.Items);
        Assert.True(cluster.NodeBalancer.GetStatistics().Total.Accepted > 0);
    }

    private static HttpClient LinodeClient(LabRegion region)
    {
        var client = new HttpClient { BaseAddress = region.LinodeApi.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", region.LinodeApiToken);
        return client;
    }

    private static async Task<JsonNode> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
