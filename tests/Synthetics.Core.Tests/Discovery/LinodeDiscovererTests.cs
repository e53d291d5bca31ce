using Synthetics.Discovery;
using Synthetics.Lab.LinodeApi;
using Synthetics.Linode;
using Synthetics.Maintenance;

namespace Synthetics.Core.Tests.Discovery;

/// <summary>From the lab's Linode API to targets: clusters, NodeBalancer ports, labels, the tag filter, failures.</summary>
public sealed class LinodeDiscovererTests : IAsyncLifetime
{
    private readonly LinodeEstate _estate = new();

    public Task InitializeAsync() => _estate.InitializeAsync();

    public Task DisposeAsync() => _estate.DisposeAsync();

    private Task<DiscoveryResult> DiscoverAsync(params string[] tags)
    {
        var client = new LinodeApiClient(new HttpClient(), new LinodeOptions { Token = LinodeEstate.Token, ApiUrl = _estate.ApiUrl }, TimeProvider.System, "test");
        return new LinodeDiscoverer(client, tags, TimeProvider.System).DiscoverAsync(CancellationToken.None);
    }

    [Fact]
    public async Task DiscoverAsync_Estate_ClustersAndNodeBalancerPortsBecomeTargets()
    {
        var result = await DiscoverAsync();

        Assert.True(result.Succeeded, result.Failure);
        Assert.Equal((2, 2), (result.Clusters, result.NodeBalancers));
        Assert.Equal(
            ["ca-prod-api KubernetesApi ca-central https://1001.ca-central-1.linodelke.net", "us-dev-api KubernetesApi us-east https://192.0.2.20",
             "ca-web-443 Tcp ca-central 192.0.2.30:443", "ca-web-80 Http ca-central http://192.0.2.30:80/healthz", "us-db-5432 Tcp us-east 192.0.2.40:5432"],
            result.Targets.Select(t => $"{t.Name} {t.Kind} {t.Region} {t.Url ?? $"{t.Host}:{t.Port}"}"));
        var udp = Assert.Single(result.Notes);
        Assert.Contains("port 53 (udp) is not monitored", udp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiscoverAsync_Cluster_LabelsCarryIdTagsHighAvailabilityAclAndDependencies()
    {
        var result = await DiscoverAsync();

        var ca = result.Targets.Single(t => t.Name == "ca-prod-api");
        Assert.Equal(1001, ca.ClusterId);
        Assert.Equal("1001", ca.Labels["clusterId"]);
        Assert.Equal("ca-prod", ca.Labels["cluster"]);
        Assert.Equal("prod,ca", ca.Labels["tags"]);
        Assert.Equal("true", ca.Labels["highAvailability"]);
        Assert.Equal(("true", "2"), (ca.Labels["aclEnabled"], ca.Labels["aclAddresses"]));
        Assert.Equal("CA-Central (Toronto) Linode Kubernetes Engine; CA-Central (Toronto) NodeBalancers", ca.Labels["dependsOn"]);
        // No ACL on the cluster: the API answers 400 for it, which is no failure.
        var us = result.Targets.Single(t => t.Name == "us-dev-api");
        Assert.Equal("false", us.Labels["highAvailability"]);
        Assert.False(us.Labels.ContainsKey("aclEnabled"));
    }

    [Fact]
    public async Task DiscoverAsync_NodeBalancerPort_LabelsCarryNodeBalancerIdTagsAndComponent()
    {
        var result = await DiscoverAsync();

        var web = result.Targets.Single(t => t.Name == "ca-web-80");
        Assert.Equal("nodebalancer-2001-config-3002", web.Key);
        Assert.Equal(("2001", "ca-web", "3002", "http", "prod"), (web.Labels["nodeBalancerId"], web.Labels["nodeBalancer"], web.Labels["configId"], web.Labels["protocol"], web.Labels["tags"]));
        Assert.Equal("CA-Central (Toronto) NodeBalancers", web.Labels["dependsOn"]);
    }

    [Fact]
    public async Task DiscoverAsync_TagFilter_KeepsOnlyWhatCarriesATag()
    {
        var result = await DiscoverAsync("PROD");

        Assert.Equal((1, 1), (result.Clusters, result.NodeBalancers));
        Assert.Equal(["ca-prod-api", "ca-web-443", "ca-web-80"], result.Targets.Select(t => t.Name));
    }

    [Fact]
    public async Task DiscoverAsync_ClusterStillProvisioning_IsANoteNotATarget()
    {
        _estate.Model.UpsertCluster(new LkeCluster { Id = 1003, Label = "new", Region = "us-east" });

        var result = await DiscoverAsync();

        Assert.True(result.Succeeded);
        Assert.DoesNotContain(result.Targets, t => t.Name == "new-api");
        Assert.Contains(result.Notes, n => n.Contains("LKE cluster 1003 'new' has no API endpoint yet", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(LinodeApiFault.ServerError, 500)]
    [InlineData(LinodeApiFault.Forbidden, 403)]
    [InlineData(LinodeApiFault.TruncatedJson, null)]
    [InlineData(LinodeApiFault.WrongShape, null)]
    public async Task DiscoverAsync_BadApi_FailedResultNoTargetsNoException(LinodeApiFault fault, int? status)
    {
        _estate.Server.Fault = fault;

        var result = await DiscoverAsync();

        Assert.False(result.Succeeded);
        Assert.Empty(result.Targets);
        Assert.Equal(status, result.FailureStatus);
        Assert.DoesNotContain('\n', result.Failure!);
        Assert.DoesNotContain(LinodeEstate.Token, result.Failure!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("KubernetesApi", "ca-central")]
    [InlineData("Tcp", "us-east")]
    [InlineData("Http", "eu-central")]
    [InlineData("KubernetesApi", "ap-northeast")]
    public void ComponentsOf_KnownRegion_ParseBackToTheSameRegion(string kind, string region)
    {
        var components = DependencyMap.ComponentsOf(kind, region);

        Assert.NotEmpty(components);
        Assert.All(components, c => Assert.Equal(region, ProviderComponent.Parse(c).Region));
        Assert.Equal(kind == "KubernetesApi" ? 2 : 1, components.Count);
    }
}
