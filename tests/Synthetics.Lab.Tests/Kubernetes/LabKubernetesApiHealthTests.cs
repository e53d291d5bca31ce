using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using Synthetics.Core.Tests.Support;
using Synthetics.Lab.Kubernetes;

namespace Synthetics.Lab.Tests.Kubernetes;

public sealed class LabKubernetesApiHealthTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    public async Task Request_WithoutOrWithWrongToken_Returns401Status(string? token)
    {
        await using var cluster = await TestCluster.StartAsync();
        using var http = cluster.CreateHttpClient(token);

        using var response = await http.GetAsync("apis/coordination.k8s.io/v1/namespaces/default/leases");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"""),
            status));
    }

    [Fact]
    public async Task KubernetesClient_RevokedToken_Gets401()
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = cluster.CreateClient();
        await client.CoordinationV1.ListNamespacedLeaseAsync("default");

        Assert.True(cluster.Api.RevokeToken(TestCluster.Token));
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoordinationV1.ListNamespacedLeaseAsync("default"));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Response.StatusCode);
        cluster.Api.AddToken(TestCluster.Token);
        await client.CoordinationV1.ListNamespacedLeaseAsync("default");
    }

    [Fact]
    public async Task Readyz_AnonymousOrWithToken_ReturnsOk()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var anonymous = cluster.CreateHttpClient(token: null);
        using var authenticated = cluster.CreateHttpClient();

        Assert.Equal("ok", await anonymous.GetStringAsync("readyz"));
        Assert.Equal("ok", await anonymous.GetStringAsync("livez"));
        Assert.Equal("ok", await authenticated.GetStringAsync("readyz"));
    }

    [Fact]
    public async Task ReadyzVerbose_AllPassing_ListsChecksInApiServerFormat()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var http = cluster.CreateHttpClient(token: null);

        using var response = await http.GetAsync("readyz?verbose");
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[+]ping ok", lines[0]);
        Assert.Equal("[+]log ok", lines[1]);
        Assert.Equal("[+]etcd ok", lines[2]);
        Assert.Contains("[+]poststarthook/start-kube-aggregator-informers ok", lines);
        Assert.All(lines[..^1], line => Assert.Matches(@"^\[\+\][a-z0-9/\-]+ ok$", line));
        Assert.Equal("readyz check passed", lines[^1]);
    }

    [Fact]
    public async Task ReadyzVerbose_EtcdFailing_Returns500WithFailedLine()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var http = cluster.CreateHttpClient(token: null);
        cluster.Api.SetFailingChecks("etcd");

        using var verbose = await http.GetAsync("readyz?verbose");
        var lines = (await verbose.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        using var plain = await http.GetAsync("livez");

        Assert.Equal(HttpStatusCode.InternalServerError, verbose.StatusCode);
        Assert.Contains("[-]etcd failed: reason withheld", lines);
        Assert.Contains("[+]ping ok", lines);
        Assert.Equal("readyz check failed", lines[^1]);
        Assert.Equal(HttpStatusCode.InternalServerError, plain.StatusCode);
        Assert.EndsWith("livez check failed\n", await plain.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        cluster.Api.SetFailingChecks();
        Assert.Equal("ok", await http.GetStringAsync("readyz"));
    }

    [Fact]
    public async Task Version_OverHttp2_ReturnsVersionInfoShape()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var http = cluster.CreateHttpClient(token: null, version: HttpVersion.Version20);

        using var response = await http.GetAsync("version");
        var version = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("1", (string?)version["major"]);
        Assert.Equal("31", (string?)version["minor"]);
        Assert.Equal("v1.31.4", (string?)version["gitVersion"]);
        foreach (var field in new[] { "gitCommit", "gitTreeState", "buildDate", "goVersion", "compiler", "platform" })
        {
            Assert.False(string.IsNullOrEmpty((string?)version[field]), field);
        }
    }

    [Fact]
    public async Task ResponseDelay_Set_RequestCountedWhileHeldAndAnsweredOnceTheDelayHasPassed()
    {
        var time = new RecordingTimeProvider();
        var delay = TimeSpan.FromMilliseconds(300);
        await using var cluster = await TestCluster.StartAsync(time: time);
        using var http = cluster.CreateHttpClient();
        Assert.Equal("ok", await http.GetStringAsync("readyz"));
        cluster.Api.ResponseDelay = delay;

        var pending = http.GetStringAsync("readyz");
        await time.AdvanceToJustBeforeAsync(delay);
        Assert.False(pending.IsCompleted, "answered before the delay had passed");
        Assert.Equal(2, cluster.Api.GetRequestCount("GET", "/readyz"));

        time.Advance(TimeSpan.FromTicks(1));

        Assert.Equal("ok", await pending);
        Assert.Equal(2, cluster.Api.GetRequestCounts()[new ApiRequestKey("GET", "/readyz")]);
    }

    [Fact]
    public async Task UnknownPath_Authenticated_Returns404Status()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var http = cluster.CreateHttpClient();

        using var response = await http.GetAsync("apis/apps/v1/deployments");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NotFound", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["reason"]);
    }
}
