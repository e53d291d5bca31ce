using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Synthetics.Core.Tests.Support;
using Synthetics.Lab.Certificates;
using Synthetics.Lab.Faults;
using Synthetics.Lab.NodeBalancers;
using Synthetics.Lab.Web;

namespace Synthetics.Lab.Tests.NodeBalancers;

[Collection(LoopbackTests.Name)]
public sealed class WebBackendPoolTests
{
    [Fact]
    public async Task Forward_WebPoolOverTls_EndToEndTlsAndRoundRobin()
    {
        using var authority = CertificateAuthority.Create("lab-ca", DateTimeOffset.UtcNow);
        await using var pool = await WebBackendPool.StartAsync(authority, new WebBackendPoolOptions { Count = 2 });
        await using var nodeBalancer = Front(pool);
        using var http = TrustingClients.Http(authority.Certificate);
        var baseAddress = new Uri($"https://{nodeBalancer.GetEndpoint("eu-west")}");

        var names = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await http.GetAsync(new Uri(baseAddress, "/healthz"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("ok", await response.Content.ReadAsStringAsync());
            names.Add(response.Headers.GetValues("X-Backend").Single());
        }

        Assert.Equal(["web-0", "web-1", "web-0", "web-1"], names);
        var page = await http.GetStringAsync(new Uri(baseAddress, "/"));
        Assert.Contains("<h1>web-", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopBackendAsync_Stopped_PortRefusesAndNodeBalancerPassesOver()
    {
        using var authority = CertificateAuthority.Create("lab-ca", DateTimeOffset.UtcNow);
        await using var pool = await WebBackendPool.StartAsync(authority, new WebBackendPoolOptions { Count = 2 });
        await using var nodeBalancer = Front(pool);
        using var http = TrustingClients.Http(authority.Certificate);
        var stoppedEndpoint = pool.Endpoints[1];

        await pool.StopBackendAsync(1);

        Assert.False(pool.IsRunning(1));
        var refused = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var socket = await LoopbackClient.ConnectAsync(stoppedEndpoint);
        });
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        for (var i = 0; i < 4; i++)
        {
            using var response = await http.GetAsync(new Uri($"https://{nodeBalancer.GetEndpoint("eu-west")}/healthz"));
            Assert.Equal("web-0", response.Headers.GetValues("X-Backend").Single());
        }

        await pool.StartBackendAsync(1);
        Assert.Equal(stoppedEndpoint, pool.Endpoints[1]);
        Assert.Equal("ok", await http.GetStringAsync(new Uri($"https://{stoppedEndpoint}/healthz")));
    }

    [Fact]
    public async Task SetResponseDelay_Set_AnsweredOnlyOnceTheDelayHasPassed()
    {
        var time = new RecordingTimeProvider();
        var delay = TimeSpan.FromMilliseconds(200);
        using var authority = CertificateAuthority.Create("lab-ca", time.GetUtcNow());
        await using var pool = await WebBackendPool.StartAsync(authority, new WebBackendPoolOptions { Count = 1, TimeProvider = time });
        using var http = TrustingClients.Http(authority.Certificate);
        var healthz = new Uri($"https://{pool.Endpoints[0]}/healthz");
        Assert.Equal("ok", await http.GetStringAsync(healthz));

        pool.SetResponseDelay(0, delay);
        var pending = http.GetStringAsync(healthz);
        await time.AdvanceToJustBeforeAsync(delay);
        Assert.False(pending.IsCompleted, "answered before the delay had passed");
        time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal("ok", await pending);

        // /slow waits its own time after the backend's delay.
        var slow = http.GetStringAsync(new Uri($"https://{pool.Endpoints[0]}/slow?ms=100"));
        await time.WaitForScheduledAsync(delay, count: 2);
        time.Advance(delay);
        await time.AdvanceToJustBeforeAsync(TimeSpan.FromMilliseconds(100));
        Assert.False(slow.IsCompleted, "answered before /slow had waited");
        time.Advance(TimeSpan.FromTicks(1));
        Assert.Contains("100 ms", await slow, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetFaultPlan_TlsHandshakeDelay_HandshakeCompletesOnlyOnceTheDelayHasPassed()
    {
        var time = new RecordingTimeProvider();
        var delay = TimeSpan.FromMilliseconds(150);
        using var authority = CertificateAuthority.Create("lab-ca", time.GetUtcNow());
        await using var pool = await WebBackendPool.StartAsync(authority, new WebBackendPoolOptions { Count = 1 });
        await using var nodeBalancer = Front(pool, time);
        var endpoint = nodeBalancer.GetEndpoint("eu-west");
        nodeBalancer.SetFaultPlan(new FaultPlan { TlsHandshakeDelay = delay });

        using var socket = await LoopbackClient.ConnectAsync(endpoint);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        var handshake = tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = TrustingClients.TrustOnly(authority.Certificate),
        });

        // The server's first flight is held back by the delay.
        await time.AdvanceToJustBeforeAsync(delay);
        Assert.False(handshake.IsCompleted, "handshake done before the delay had passed");

        time.Advance(TimeSpan.FromTicks(1));
        await handshake;

        Assert.True(tls.IsAuthenticated);
        Assert.Single(time.DueTimes, d => d == delay);
    }

    private static NodeBalancer Front(WebBackendPool pool, TimeProvider? time = null) => new(new NodeBalancerOptions
    {
        Name = "lke-web",
        Vantages = ["eu-west"],
        Backends = pool.Endpoints,
        TimeProvider = time ?? TimeProvider.System,
    });
}
