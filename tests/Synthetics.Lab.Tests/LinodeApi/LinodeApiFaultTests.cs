using System.Net;
using System.Text.Json;
using Synthetics.Lab.LinodeApi;

namespace Synthetics.Lab.Tests.LinodeApi;

/// <summary>The lab's Linode API misbehaving on demand, its control-plane ACLs and its tag filter.</summary>
public sealed class LinodeApiFaultTests : LinodeApiTestBase
{
    private static readonly Uri Clusters = new("v4/lke/clusters", UriKind.Relative);

    [Fact]
    public async Task Get_ServerErrorFault_Returns500WithTheErrorBody()
    {
        Server.Fault = LinodeApiFault.ServerError;

        using var response = await Http.GetAsync(Clusters);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("""{"errors":[{"reason":"Internal Server Error"}]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_ForbiddenFault_Returns403NotAuthorizedForTheEndpoint()
    {
        Server.Fault = LinodeApiFault.Forbidden;

        using var response = await Http.GetAsync(Clusters);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("not authorized to use this endpoint", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_TruncatedJsonFault_Returns200WithJsonThatDoesNotParse()
    {
        Server.Fault = LinodeApiFault.TruncatedJson;

        using var response = await Http.GetAsync(Clusters);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public async Task Get_WrongShapeFault_Returns200WithDataThatIsNotAList()
    {
        Server.Fault = LinodeApiFault.WrongShape;

        using var response = await Http.GetAsync(Clusters);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(JsonValueKind.String, body.RootElement.GetProperty("data").ValueKind);
        Assert.False(body.RootElement.TryGetProperty("pages", out _));
    }

    [Fact]
    public async Task Get_SlowAnswerFault_ClientGivingUpFirstGetsNothing()
    {
        Server.Fault = LinodeApiFault.SlowAnswer;
        Server.SlowAnswerDelay = TimeSpan.FromSeconds(30);
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Http.GetAsync(Clusters, giveUp.Token));
    }

    [Fact]
    public async Task Get_FaultWithWrongToken_TheTokenIsRefusedFirst()
    {
        Server.Fault = LinodeApiFault.ServerError;
        using var request = new HttpRequestMessage(HttpMethod.Get, Clusters);
        request.Headers.Authorization = new("Bearer", "not-the-token");

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task GetControlPlaneAcl_ClusterWithAcl_ReturnsItAsTheSpecShapesIt()
    {
        using var body = JsonDocument.Parse(await Http.GetStringAsync(new Uri("v4/lke/clusters/1002/control_plane_acl", UriKind.Relative)));

        var acl = body.RootElement.GetProperty("acl");
        Assert.True(acl.GetProperty("enabled").GetBoolean());
        Assert.Equal(2, acl.GetProperty("addresses").GetProperty("ipv4").GetArrayLength());
        Assert.Equal("20240127r001", acl.GetProperty("revision-id").GetString());
    }

    [Fact]
    public async Task GetControlPlaneAcl_ClusterWithout_Returns400DoesNotSupport()
    {
        using var response = await Http.GetAsync(new Uri("v4/lke/clusters/1001/control_plane_acl", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Cluster does not support Control Plane ACL.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"tags": "ca"}""", 1)]
    [InlineData("""{"tags": "PROD"}""", 60)]
    [InlineData("""{"+or": [{"tags": "ca"}, {"tags": "nope"}]}""", 1)]
    public async Task ListClusters_TagXFilter_ReturnsTheClustersCarryingATag(string filter, int expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Clusters);
        request.Headers.Add("X-Filter", filter);

        using var response = await Http.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(expected, body.RootElement.GetProperty("results").GetInt32());
    }

    [Fact]
    public async Task ListClusters_FilterOnAnotherField_Returns400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Clusters);
        request.Headers.Add("X-Filter", """{"label": "lke-01"}""");

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
