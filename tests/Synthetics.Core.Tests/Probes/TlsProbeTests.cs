using System.Security.Cryptography.X509Certificates;
using Synthetics.Core.Tests.Support;
using Synthetics.Lab.Sockets;
using Synthetics.Results;

namespace Synthetics.Core.Tests.Probes;

public sealed class TlsProbeTests(PkiFixture fixture) : IClassFixture<PkiFixture>
{
    private readonly TestPki _pki = fixture.Pki;

    private static ScriptedServer Serve(X509Certificate2 certificate) =>
        ScriptedServer.Start(async (c, t) =>
        {
            await c.AuthenticateAsync(certificate, t);
            await c.StallAsync(t);
        });

    [Fact]
    public async Task Run_CertificateFromTargetCa_IsOkWithCertificateFacts()
    {
        await using var server = Serve(_pki.Valid);

        var result = await ProbeHarness.RunAsync(ProbeHarness.Https(server.Port, _pki), "tls");

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Equal("CN=localhost", result.Details["certSubject"]);
        Assert.Equal("CN=LKE Synthetics test CA", result.Details["certIssuer"]);
        Assert.InRange((double)result.Details["certDaysLeft"], 89, 90.01);
        Assert.Equal(true, result.Details["chainValid"]);
        Assert.NotNull(result.Phases.TlsMs);
        Assert.Null(result.Phases.TtfbMs);
    }

    [Fact]
    public async Task Run_ExpiredCertificate_IsTlsFailureSayingExpired()
    {
        await using var server = Serve(_pki.Expired);

        var result = await ProbeHarness.RunAsync(ProbeHarness.Https(server.Port, _pki), "tls");

        Assert.Equal(ProbeOutcome.TlsFailure, result.Outcome);
        Assert.Contains("expired", result.Message, StringComparison.Ordinal);
        Assert.True((double)result.Details["certDaysLeft"] < 0);
    }

    [Fact]
    public async Task Run_CertificateForAnotherHost_IsTlsFailureSayingHostName()
    {
        await using var server = Serve(_pki.OtherHost);

        var result = await ProbeHarness.RunAsync(ProbeHarness.Https(server.Port, _pki), "tls");

        Assert.Equal(ProbeOutcome.TlsFailure, result.Outcome);
        Assert.Contains("another host name", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CertificateFromAnotherCa_IsTlsFailureSayingUntrusted()
    {
        await using var server = Serve(_pki.FromOtherCa);

        var result = await ProbeHarness.RunAsync(ProbeHarness.Https(server.Port, _pki), "tls");

        Assert.Equal(ProbeOutcome.TlsFailure, result.Outcome);
        Assert.Contains("not issued by a trusted CA", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PrivateCaWithoutConfiguredBundle_IsRejectedBySystemStore()
    {
        await using var server = Serve(_pki.Valid);

        var result = await ProbeHarness.RunAsync(ProbeHarness.Https(server.Port, pki: null), "tls");

        Assert.Equal(ProbeOutcome.TlsFailure, result.Outcome);
    }

    [Theory]
    [InlineData(true)] // the target's CA bundle, which holds the root
    [InlineData(false)] // the system store
    public async Task Run_ChainMissingAnIntermediateTheCertificateSaysWhereToFetch_FailsWithoutFetchingIt(bool withBundle)
    {
        // The intermediate is served where the certificate's issuer URL points: a client that downloaded it would
        // complete the chain, and would have fetched a URL the target wrote.
        using var intermediate = _pki.Ca.IssueIntermediate("LKE Synthetics test intermediate");
        var fetches = 0;
        await using var issuer = ScriptedServer.Start(async (c, t) =>
        {
            Interlocked.Increment(ref fetches);
            await c.ReadRequestHeadAsync(t);
            await c.RespondAsync(200, intermediate.CertificatePem, t, contentType: "application/x-pem-file", keepAlive: false);
        });
        var now = DateTimeOffset.UtcNow;
        using var leaf = intermediate.IssueServerCertificate(
            ["localhost"], [System.Net.IPAddress.Loopback], now.AddDays(-1), now.AddDays(30), issuerUrl: new Uri($"http://127.0.0.1:{issuer.Port}/issuer.crt"));
        // The server sends its own certificate alone, not the intermediate.
        await using var server = Serve(leaf);

        var result = await ProbeHarness.RunAsync(ProbeHarness.Https(server.Port, withBundle ? _pki : null), "tls");

        Assert.Equal(ProbeOutcome.TlsFailure, result.Outcome);
        Assert.Contains("not issued by a trusted CA", result.Message, StringComparison.Ordinal);
        Assert.Equal(0, Volatile.Read(ref fetches));
    }

    [Fact]
    public async Task Run_CertificateExpiringWithinWarningPeriod_IsCertExpiringButSuccessful()
    {
        await using var server = Serve(_pki.ExpiringSoon);

        var result = await ProbeHarness.RunAsync(ProbeHarness.Https(server.Port, _pki), "tls");

        Assert.Equal(ProbeOutcome.CertExpiring, result.Outcome);
        Assert.True(result.Success);
        Assert.Contains("expires in 10", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PeerClosesDuringHandshake_IsReset()
    {
        await using var server = ScriptedServer.Start(async (c, t) =>
        {
            await c.ReadSomeAsync(t);
            c.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Both);
        });

        var result = await ProbeHarness.RunAsync(ProbeHarness.Https(server.Port, _pki), "tls");

        Assert.Equal(ProbeOutcome.Reset, result.Outcome);
    }
}
