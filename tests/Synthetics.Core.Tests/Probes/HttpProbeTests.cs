using System.Collections.Concurrent;
using System.Net.Security;
using System.Text;
using Synthetics.Core.Tests.Support;
using Synthetics.Lab.Sockets;
using Synthetics.Results;

namespace Synthetics.Core.Tests.Probes;

public sealed class HttpProbeTests(PkiFixture fixture) : IClassFixture<PkiFixture>
{
    // Long enough that no phase without it comes near it on a loaded machine: the tests say where a delay lands, not
    // how fast anything is.
    private static readonly TimeSpan PhaseDelay = TimeSpan.FromSeconds(1.5);

    private readonly TestPki _pki = fixture.Pki;

    private static void AssertDelayIn(double? delayed, params double?[] others)
    {
        Assert.True(delayed >= PhaseDelay.TotalMilliseconds - 5, $"the delayed phase took {delayed} ms");
        Assert.All(others, other => Assert.True(other < PhaseDelay.TotalMilliseconds / 2, $"another phase took {other} ms"));
    }

    private Func<ScriptedConnection, CancellationToken, Task> Https(Func<ScriptedConnection, CancellationToken, Task> afterHandshake) =>
        async (connection, token) =>
        {
            await connection.AuthenticateAsync(_pki.Valid, token);
            await afterHandshake(connection, token);
        };

    [Fact]
    public async Task Run_HealthyHttpsServer_ReportsOkWithEveryPhase()
    {
        await using var server = ScriptedServer.Start(Https(async (c, t) =>
        {
            var head = await c.ReadRequestHeadAsync(t);
            Assert.NotNull(head);
            await c.RespondAsync(200, "ok", t);
        }));

        var result = await ProbeHarness.RunAsync(ProbeHarness.Https(server.Port, _pki), "http");

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.True(result.Success);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal("127.0.0.1", result.RemoteAddress);
        Assert.Null(result.Phases.DnsMs);
        Assert.NotNull(result.Phases.ConnectMs);
        Assert.NotNull(result.Phases.TlsMs);
        Assert.NotNull(result.Phases.TtfbMs);
        Assert.NotNull(result.Phases.TransferMs);
        Assert.Equal(2L, result.Details["bodyBytes"]);
        Assert.Equal("TLSv1.3", result.Details["tlsProtocol"]);
    }

    [Fact]
    public async Task Run_RequestIdentifiesItselfAndSendsRealHostHeader()
    {
        string? head = null;
        await using var server = ScriptedServer.Start(Https(async (c, t) =>
        {
            head = await c.ReadRequestHeadAsync(t);
            await c.RespondAsync(200, "ok", t);
        }));

        await ProbeHarness.RunAsync(ProbeHarness.Https(server.Port, _pki, host: "localhost"), "http");

        Assert.NotNull(head);
        Assert.StartsWith("GET /healthz HTTP/1.1\r\n", head, StringComparison.Ordinal);
        Assert.Contains($"Host: localhost:{server.Port}\r\n", head, StringComparison.Ordinal);
        Assert.Matches(@"User-Agent: LKE-Synthetics/\d+\.\d+\.\d+ \(test-vantage\)", head);
    }

    [Fact]
    public async Task Run_DelayBeforeFirstByte_ShowsInTtfbOnly()
    {
        await using var server = ScriptedServer.Start(Https(async (c, t) =>
        {
            await c.ReadRequestHeadAsync(t);
            await Task.Delay(PhaseDelay, t);
            await c.RespondAsync(200, "ok", t);
        }));

        var result = await ProbeHarness.RunAsync(ProbeHarness.Https(server.Port, _pki), "http");

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        AssertDelayIn(result.Phases.TtfbMs, result.Phases.ConnectMs, result.Phases.TlsMs, result.Phases.TransferMs);
    }


    [Fact]
    public async Task Run_DelayInsideTlsHandshake_ShowsInTlsOnly()
    {
        await using var server = ScriptedServer.Start(async (c, t) =>
        {
            await Task.Delay(PhaseDelay, t);
            await c.AuthenticateAsync(_pki.Valid, t);
            await c.ReadRequestHeadAsync(t);
            await c.RespondAsync(200, "ok", t);
        });

        var result = await ProbeHarness.RunAsync(ProbeHarness.Https(server.Port, _pki), "http");

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        AssertDelayIn(result.Phases.TlsMs, result.Phases.ConnectMs, result.Phases.TtfbMs);
    }

    [Fact]
    public async Task Run_ClosedPort_IsRefused()
    {
        var port = FreePort.Take();

        var result = await ProbeHarness.RunAsync(ProbeHarness.Https(port, _pki), "http");

        Assert.Equal(ProbeOutcome.Refused, result.Outcome);
        Assert.False(result.Success);
        Assert.NotNull(result.Phases.ConnectMs);
        Assert.Null(result.Phases.TlsMs);
        Assert.Contains("TCP connect", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ServerResetsAfterAccept_IsReset()
    {
        await using var server = ScriptedServer.Start(async (c, t) =>
        {
            await c.ReadSomeAsync(t);
            c.Reset();
        });

        var result = await ProbeHarness.RunAsync(ProbeHarness.Https(server.Port, _pki), "http");

        Assert.Equal(ProbeOutcome.Reset, result.Outcome);
        Assert.Contains("TLS handshake", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ServerSendsNothing_TimesOutWaitingForFirstByte()
    {
        await using var server = ScriptedServer.Start((c, t) => c.StallAsync(t));

        var result = await ProbeHarness.RunAsync(ProbeHarness.PlainHttp(server.Port, timeoutSeconds: 0.5), "http");

        Assert.Equal(ProbeOutcome.Timeout, result.Outcome);
        Assert.Contains("first byte", result.Message, StringComparison.Ordinal);
        // The wait is charged to the first-byte phase, and the probe waited out its timeout: lower bounds only, which no
        // load on the machine can break (how much later it ended is the machine's business, shown by benchmarks).
        Assert.True(result.Phases.TtfbMs > 0);
        Assert.True(result.DurationMs >= 450, $"{result.DurationMs} ms");
    }

    [Fact]
    public async Task Run_StallInsideTlsHandshake_TimesOutInTlsPhase()
    {
        await using var server = ScriptedServer.Start(async (c, t) =>
        {
            await c.ReadSomeAsync(t); // the ClientHello, never answered
            await c.StallAsync(t);
        });

        var result = await ProbeHarness.RunAsync(ProbeHarness.Https(server.Port, _pki, timeoutSeconds: 0.5), "tls");

        Assert.Equal(ProbeOutcome.Timeout, result.Outcome);
        Assert.Contains("TLS handshake", result.Message, StringComparison.Ordinal);
        // The wait is charged to the TLS phase and the probe waited out its timeout (lower bounds: load cannot break them).
        Assert.True(result.Phases.TlsMs > result.Phases.ConnectMs, $"tls {result.Phases.TlsMs} ms, connect {result.Phases.ConnectMs} ms");
        Assert.True(result.DurationMs >= 450, $"{result.DurationMs} ms");
    }

    [Fact]
    public async Task Run_HugeBody_ReadsOnlyUpToTheLimitWithFlatMemory()
    {
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'x');
        await using var server = ScriptedServer.Start(Https(async (c, t) =>
        {
            await c.ReadRequestHeadAsync(t);
            await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n"u8.ToArray(), t);
            for (var i = 0; i < 16 * 1024 && !t.IsCancellationRequested; i++)
            {
                await c.WriteAsync(chunk, t); // up to 1 GiB; the client must stop long before
            }
        }));
        var options = ProbeHarness.Options(p => p.MaxBodyBytes = 256 * 1024);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = await ProbeHarness.RunAsync(ProbeHarness.Https(server.Port, _pki), "http", ProbeHarness.Runner(options));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Equal(256L * 1024, result.Details["bodyBytes"]);
        Assert.Equal(true, result.Details["bodyTruncated"]);
        Assert.True(allocated < 16 * 1024 * 1024, $"allocated {allocated / 1024} KiB for a 256 KiB read");
    }

    [Fact]
    public async Task Run_GarbageInsteadOfHttp_IsClassifiedAsError()
    {
        await using var server = ScriptedServer.Start(Https(async (c, t) =>
        {
            await c.ReadRequestHeadAsync(t);
            await c.WriteAsync("\u0000\u0001SSH-2.0-OpenSSH_9.6 garbage\r\n\r\n"u8.ToArray(), t);
            await c.StallAsync(t);
        }));

        var result = await ProbeHarness.RunAsync(ProbeHarness.Https(server.Port, _pki), "http");

        Assert.Equal(ProbeOutcome.Error, result.Outcome);
        Assert.Contains("not valid HTTP", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnexpectedStatus_IsHttpStatus()
    {
        await using var server = ScriptedServer.Start(Https(async (c, t) =>
        {
            await c.ReadRequestHeadAsync(t);
            await c.RespondAsync(503, "busy", t);
        }));

        var result = await ProbeHarness.RunAsync(ProbeHarness.Https(server.Port, _pki), "http");

        Assert.Equal(ProbeOutcome.HttpStatus, result.Outcome);
        Assert.Equal(503, result.StatusCode);
        Assert.Equal("status 503, expected 200", result.Message);
    }

    [Fact]
    public async Task Run_BodyWithoutExpectedText_IsUnexpectedBody()
    {
        await using var server = ScriptedServer.Start(Https(async (c, t) =>
        {
            await c.ReadRequestHeadAsync(t);
            await c.RespondAsync(200, "maintenance page", t);
        }));

        var result = await ProbeHarness.RunAsync(ProbeHarness.Https(server.Port, _pki, expectBody: "healthy"), "http");

        Assert.Equal(ProbeOutcome.UnexpectedBody, result.Outcome);
    }

    [Fact]
    public async Task Run_ExpectedTextSplitAcrossReads_IsFound()
    {
        await using var server = ScriptedServer.Start(Https(async (c, t) =>
        {
            await c.ReadRequestHeadAsync(t);
            await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nall hea"u8.ToArray(), t);
            await Task.Delay(50, t);
            await c.WriteAsync("lthy!!"u8.ToArray(), t);
        }));

        var result = await ProbeHarness.RunAsync(ProbeHarness.Https(server.Port, _pki, expectBody: "healthy"), "http");

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
    }

    [Fact]
    public async Task Run_SuccessOverThreshold_IsSlow()
    {
        await using var server = ScriptedServer.Start(Https(async (c, t) =>
        {
            await c.ReadRequestHeadAsync(t);
            await Task.Delay(200, t);
            await c.RespondAsync(200, "ok", t);
        }));

        var result = await ProbeHarness.RunAsync(ProbeHarness.Https(server.Port, _pki, slowMs: 100), "http");

        Assert.Equal(ProbeOutcome.Slow, result.Outcome);
        Assert.True(result.Success);
    }

    [Fact]
    public async Task Run_SecondRunAgainstTheSameHostName_DoesAFullHandshakeAgain()
    {
        // The server would resume a session: one certificate context (one ticket key) for all its connections.
        var certificateContext = SslStreamCertificateContext.Create(_pki.Valid, additionalCertificates: null, offline: true);
        var handshakeBytes = new ConcurrentQueue<long>();
        await using var server = ScriptedServer.Start(async (c, t) =>
        {
            var counted = new WriteCountingStream(c.Stream);
            await using var ssl = new SslStream(counted, leaveInnerStreamOpen: true);
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateContext = certificateContext }, t);
            handshakeBytes.Enqueue(counted.Written);
            await ReadRequestHeadAsync(ssl, t);
            await ssl.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray(), t);
            await ssl.FlushAsync(t);
        });
        var target = ProbeHarness.Https(server.Port, _pki, host: "localhost");

        var first = await ProbeHarness.RunAsync(target, "http");
        var second = await ProbeHarness.RunAsync(target, "http");

        Assert.Equal(ProbeOutcome.Ok, first.Outcome);
        Assert.Equal(ProbeOutcome.Ok, second.Outcome);
        var sizes = handshakeBytes.ToArray();
        Assert.Equal(2, sizes.Length);
        // A resumed TLS 1.3 handshake leaves out the certificate and its signature: hundreds of bytes fewer.
        Assert.InRange(sizes[1], sizes[0] - 64, sizes[0] + 64);
    }

    private static async Task ReadRequestHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        var buffer = new byte[1024];
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return;
            }

            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }

    /// <summary>Passes everything through and counts the bytes written (what the server sent).</summary>
    private sealed class WriteCountingStream(Stream inner) : Stream
    {
        private long _written;

        public long Written => Interlocked.Read(ref _written);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count)
        {
            Interlocked.Add(ref _written, count);
            inner.Write(buffer, offset, count);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Interlocked.Add(ref _written, buffer.Length);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Interlocked.Add(ref _written, count);
            return inner.WriteAsync(buffer, offset, count, cancellationToken);
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
