using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Synthetics.Lab.Faults;
using Synthetics.Lab.NodeBalancers;

namespace Synthetics.Lab.Tests.Faults;

[SuppressMessage("Design", "CA1001", Justification = "xUnit disposes them through IAsyncLifetime.DisposeAsync.")]
public sealed class FaultAdminEndpointsTests : IAsyncLifetime
{
    private NodeBalancer _nodeBalancer = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _nodeBalancer = new NodeBalancer(new NodeBalancerOptions
        {
            Name = "lke-ca-central-cp",
            Vantages = ["eu-west", "asia"],
            Backends = [new IPEndPoint(IPAddress.Loopback, 9), new IPEndPoint(IPAddress.Loopback, 10)],
        });
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapFaultAdmin(new Dictionary<string, NodeBalancer> { [_nodeBalancer.Name] = _nodeBalancer });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _nodeBalancer.DisposeAsync();
    }

    [Fact]
    public async Task PutFaults_ValidPlan_GetShowsIt()
    {
        using var put = await PutJsonAsync("/admin/nodebalancers/lke-ca-central-cp/faults?vantage=asia",
            """{ "stallShare": 0.08, "stallDuration": "00:00:12", "resetShare": 0.03 }""");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        using var document = JsonDocument.Parse(await _http.GetStringAsync(new Uri("/admin/nodebalancers", UriKind.Relative)));

        var nodeBalancer = document.RootElement.EnumerateArray().Single();
        Assert.Equal("lke-ca-central-cp", nodeBalancer.GetProperty("name").GetString());
        var asia = nodeBalancer.GetProperty("vantages").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "asia");
        Assert.Equal(0.08, asia.GetProperty("faultPlan").GetProperty("stallShare").GetDouble());
        Assert.Equal($"127.0.0.1:{_nodeBalancer.GetEndpoint("asia").Port}", asia.GetProperty("endpoint").GetString());
        Assert.True(asia.TryGetProperty("statistics", out _));
        var euWest = nodeBalancer.GetProperty("vantages").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "eu-west");
        Assert.Equal(JsonValueKind.Null, euWest.GetProperty("faultPlan").ValueKind);
        Assert.Equal(0.03, _nodeBalancer.GetEffectiveFaultPlan("asia").ResetShare);
    }

    [Theory]
    [InlineData("""{ "stallShare": "lots" }""", "stallShare")]
    [InlineData("""{ "stallShare": 1.5 }""", "stallShare")]
    [InlineData("""{ "connectLatency": "soon" }""", "connectLatency")]
    [InlineData("""{ "cutAfterMin": "00:01:30", "cutAfterMax": "00:00:30" }""", "cutAfterMax")]
    [InlineData("""{ "stallShares": 0.1 }""", "stallShares")]
    [InlineData("""{ "stallShare": 0.1 """, "body")]
    [InlineData("null", "body")]
    public async Task PutFaults_BadBody_Returns400NamingField(string body, string field)
    {
        using var response = await PutJsonAsync("/admin/nodebalancers/lke-ca-central-cp/faults", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("error").GetString()));
        Assert.Equal(FaultPlan.None, _nodeBalancer.FaultPlan);
    }

    [Fact]
    public async Task PutFaults_UnknownVantage_Returns400NamingVantage()
    {
        using var response = await PutJsonAsync("/admin/nodebalancers/lke-ca-central-cp/faults?vantage=mars", "{}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("vantage", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task PutFaults_UnknownNodeBalancer_Returns404()
    {
        using var response = await PutJsonAsync("/admin/nodebalancers/nope/faults", "{}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task DeleteFaults_AfterPut_ClearsEverything()
    {
        using var put = await PutJsonAsync("/admin/nodebalancers/lke-ca-central-cp/faults", """{ "resetShare": 0.5 }""");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(0.5, _nodeBalancer.FaultPlan.ResetShare);

        using var delete = await _http.DeleteAsync(new Uri("/admin/nodebalancers/lke-ca-central-cp/faults", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(FaultPlan.None, _nodeBalancer.FaultPlan);
    }

    [Fact]
    public async Task PutBackendState_DownThenUp_Reflected()
    {
        using var down = await _http.PutAsync(new Uri("/admin/nodebalancers/lke-ca-central-cp/backends/1/down", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, down.StatusCode);
        Assert.False(_nodeBalancer.Backends[1].IsUp);
        var view = await down.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(view.GetProperty("backends")[1].GetProperty("isUp").GetBoolean());

        using var up = await _http.PutAsync(new Uri("/admin/nodebalancers/lke-ca-central-cp/backends/1/up", UriKind.Relative), null);
        Assert.True(_nodeBalancer.Backends[1].IsUp);
    }

    [Theory]
    [InlineData("7/down", "index")]
    [InlineData("x/down", "index")]
    [InlineData("0/sideways", "state")]
    public async Task PutBackendState_BadInput_Returns400NamingField(string path, string field)
    {
        using var response = await _http.PutAsync(new Uri($"/admin/nodebalancers/lke-ca-central-cp/backends/{path}", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    private Task<HttpResponseMessage> PutJsonAsync(string path, string json) =>
        _http.PutAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
}
