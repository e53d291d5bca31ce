using System.Net;
using System.Text;
using System.Text.Json;

namespace Synthetics.Lab.Tests.LinodeApi;

public sealed class LinodeApiServerTests : LinodeApiTestBase
{
    [Fact]
    public async Task ListClusters_Page2OfPageSize25_ReturnsSecondSliceWithEnvelope()
    {
        using var body = await GetJsonAsync("v4/lke/clusters?page=2&page_size=25");

        Assert.Equal(2, body.RootElement.GetProperty("page").GetInt32());
        Assert.Equal(3, body.RootElement.GetProperty("pages").GetInt32());
        Assert.Equal(60, body.RootElement.GetProperty("results").GetInt32());
        var ids = body.RootElement.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()).ToArray();
        Assert.Equal(Enumerable.Range(1026, 25).Select(i => (long)i), ids);
    }

    [Fact]
    public async Task ListClusters_NoPageParameters_DefaultsTo100PerPage()
    {
        using var body = await GetJsonAsync("v4/lke/clusters");

        Assert.Equal(1, body.RootElement.GetProperty("pages").GetInt32());
        Assert.Equal(60, body.RootElement.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task ListClusters_PageSizeBelow25_Returns400WithFieldError()
    {
        using var response = await Http.GetAsync(new Uri("v4/lke/clusters?page_size=10", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await SingleErrorAsync(response);
        Assert.Equal("page_size", error.GetProperty("field").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("reason").GetString()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token")]
    [InlineData("Basic bGFiOmxhYg==")]
    public async Task Get_MissingOrWrongToken_Returns401InvalidToken(string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("v4/regions", UriKind.Relative));
        request.Headers.Authorization = null;
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var anonymous = new HttpClient { BaseAddress = Server.BaseAddress };
        using var response = await anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Invalid Token", (await SingleErrorAsync(response)).GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("v4/lke/clusters/999")]
    [InlineData("v4/lke/clusters/not-a-number")]
    [InlineData("v4/nodebalancers/7001/configs/8999/nodes")]
    [InlineData("v4/nodebalancers/7002/configs")]
    [InlineData("v4/linode/instances")]
    public async Task Get_UnknownResource_Returns404ErrorShape(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Not found", (await SingleErrorAsync(response)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Get_RateLimitArmed_Returns429WithRetryAfterThenRecovers()
    {
        Server.RateLimitNext(2, retryAfterSeconds: 9);

        using var first = await Http.GetAsync(new Uri("v4/regions", UriKind.Relative));
        using var second = await Http.GetAsync(new Uri("v4/regions", UriKind.Relative));
        using var third = await Http.GetAsync(new Uri("v4/regions", UriKind.Relative));

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(9), first.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(3, Server.RequestCount);
    }

    [Fact]
    public async Task GetKubeconfig_ReadyCluster_Base64DecodesToTheModelYaml()
    {
        using var body = await GetJsonAsync("v4/lke/clusters/1001/kubeconfig");

        var yaml = Encoding.UTF8.GetString(Convert.FromBase64String(body.RootElement.GetProperty("kubeconfig").GetString()!));
        Assert.Equal(LinodeApiSample.KubeconfigYaml, yaml);
        var config = k8s.KubernetesYaml.Deserialize<k8s.KubeConfigModels.K8SConfiguration>(yaml);
        Assert.Equal("https://127.0.0.1:6443", Assert.Single(config.Clusters).ClusterEndpoint.Server);
    }

    [Fact]
    public async Task GetKubeconfig_ProvisioningCluster_Returns503()
    {
        using var response = await Http.GetAsync(new Uri("v4/lke/clusters/1002/kubeconfig", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        await SingleErrorAsync(response);
    }

    [Fact]
    public async Task ListApiEndpoints_Cluster_ReturnsPaginatedEndpoints()
    {
        using var body = await GetJsonAsync("v4/lke/clusters/1001/api-endpoints");

        Assert.Equal(
            ["https://127.0.0.1:6443", "https://127.0.0.2:443"],
            body.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("endpoint").GetString()));
        Assert.Equal(2, body.RootElement.GetProperty("results").GetInt32());
    }

    [Fact]
    public async Task ListConfigs_NodeMarkedDown_NodesStatusCountsIt()
    {
        Server.Model.SetNodeStatus(9001, "DOWN");

        using var body = await GetJsonAsync("v4/nodebalancers/7001/configs");

        var https = body.RootElement.GetProperty("data").EnumerateArray().Single(c => c.GetProperty("port").GetInt32() == 443);
        Assert.Equal(0, https.GetProperty("nodes_status").GetProperty("up").GetInt32());
        Assert.Equal(2, https.GetProperty("nodes_status").GetProperty("down").GetInt32());
    }

    private async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> SingleErrorAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return Assert.Single(body.RootElement.GetProperty("errors").EnumerateArray()).Clone();
    }
}
