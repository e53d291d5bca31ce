using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Synthetics.Lab.Certificates;
using Synthetics.Lab.Faults;
using Synthetics.Lab.NodeBalancers;
using Synthetics.Lab.Web;
using Xunit.Abstractions;

namespace Synthetics.Lab.Tests.NodeBalancers;

[Collection(LoopbackTests.Name)]
public sealed class WebBackendPoolTests(ITestOutputHelper output)
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
    public async Task SetResponseDelay_Set_SlowsResponses()
    {
        using var authority = CertificateAuthority.Create("lab-ca", DateTimeOffset.UtcNow);
        await using var pool = await WebBackendPool.StartAsync(authority, new WebBackendPoolOptions { Count = 1 });
        using var http = TrustingClients.Http(authority.Certificate);
        var healthz = new Uri($"https://{pool.Endpoints[0]}/healthz");
        await http.GetStringAsync(healthz);

        pool.SetResponseDelay(0, TimeSpan.FromMilliseconds(200));
        var watch = Stopwatch.StartNew();
        await http.GetStringAsync(healthz);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(195), $"answered after {watch.Elapsed}");

        watch.Restart();
        var slow = await http.GetStringAsync(new Uri($"https://{pool.Endpoints[0]}/slow?ms=100"));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(295), $"answered after {watch.Elapsed}");
        Assert.Contains("100 ms", slow, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetFaultPlan_TlsHandshakeDelay_DelaysHandshake()
    {
        const int Runs = 7;
        var delay = TimeSpan.FromMilliseconds(150);
        using var authority = CertificateAuthority.Create("lab-ca", DateTimeOffset.UtcNow);
        await using var pool = await WebBackendPool.StartAsync(authority, new WebBackendPoolOptions { Count = 1 });
        await using var nodeBalancer = Front(pool);
        var endpoint = nodeBalancer.GetEndpoint("eu-west");

        await HandshakeAsync(endpoint, authority);
        var baseline = new List<TimeSpan>();
        for (var i = 0; i < Runs; i++)
        {
            baseline.Add(await HandshakeAsync(endpoint, authority));
        }

        nodeBalancer.SetFaultPlan(new FaultPlan { TlsHandshakeDelay = delay });
        var impaired = new List<TimeSpan>();
        for (var i = 0; i < Runs; i++)
        {
            impaired.Add(await HandshakeAsync(endpoint, authority));
        }

        var added = LoopbackClient.Median(impaired) - LoopbackClient.Median(baseline);
        output.WriteLine($"handshake median {LoopbackClient.Median(baseline).TotalMilliseconds:F2} ms → {LoopbackClient.Median(impaired).TotalMilliseconds:F2} ms, added {added.TotalMilliseconds:F2} ms");
        Assert.InRange(added.TotalMilliseconds, delay.TotalMilliseconds - 5, delay.TotalMilliseconds + 20);
    }

    private static NodeBalancer Front(WebBackendPool pool) => new(new NodeBalancerOptions
    {
        Name = "lke-web",
        Vantages = ["eu-west"],
        Backends = pool.Endpoints,
    });

    private static async Task<TimeSpan> HandshakeAsync(IPEndPoint endpoint, CertificateAuthority authority)
    {
        using var socket = await LoopbackClient.ConnectAsync(endpoint);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        var watch = Stopwatch.StartNew();
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = TrustingClients.TrustOnly(authority.Certificate),
        });
        return watch.Elapsed;
    }
}
