using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Synthetics.Targets;

namespace Synthetics.Probes;

/// <summary>
/// HTTP/1.1 requests over a connection this probe opens itself, so each phase is timed where it happens:
/// <see cref="HttpClient"/> parses HTTP (it does that better than hand-written code), while its connect callback
/// hands it a socket already resolved, connected and TLS-authenticated under the <see cref="PhaseClock"/>.
/// The request goes out as plain <c>http</c> over that stream, with the real Host header.
/// One exchange is one fresh connection, reused by the requests of the same run (kube-health's three).
/// </summary>
internal sealed class HttpExchange : IDisposable
{
    private static readonly List<SslApplicationProtocol> Http11Only = [SslApplicationProtocol.Http11];

    private ProbeContext _context;
    private readonly CancellationToken _probeToken;
    private readonly HttpClient _client;
    private bool _connected;
    // Built on the first request: every request of an exchange goes to the same target.
    private (Uri Origin, string Host)? _origin;

    public HttpExchange(ProbeContext context, CancellationToken probeToken)
    {
        _context = context;
        _probeToken = probeToken;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = 1,
            // A backstop only: the probe's own token normally ends a stalled attempt first.
            ConnectTimeout = context.Target.Timeout + TimeSpan.FromSeconds(1),
            ConnectCallback = ConnectAsync,
        };
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// Times and records this exchange's next requests, and any connection they open, in <paramref name="context"/>: a
    /// kept connection serves many samples, each with its own clock. One request at a time.
    /// </summary>
    public void Bind(ProbeContext context) => _context = context;

    /// <summary>
    /// Sends a GET for <paramref name="pathAndQuery"/> and reads at most <paramref name="maxBodyBytes"/> of the body; with
    /// <paramref name="audit"/> (a Kubernetes API), the request carries a fresh Audit-ID and the answer's echo is recorded.
    /// </summary>
    public async Task<HttpExchangeResponse> GetAsync(
        string pathAndQuery,
        IEnumerable<KeyValuePair<string, string>>? headers,
        int maxBodyBytes,
        int keepTextBytes,
        string? expectContains,
        CancellationToken cancellationToken,
        AuditTrail? audit = null)
    {
        var (origin, host) = _origin ??= Origin(_context.Target.Endpoint);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(origin, pathAndQuery))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Host = host;
        request.Headers.UserAgent.ParseAdd(_context.UserAgent);
        request.Headers.ConnectionClose = false;
        foreach (var header in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        var auditId = audit?.Stamp(request);
        var clock = _context.Phases;
        var started = _context.TimeProvider.GetTimestamp();
        if (_connected)
        {
            clock.Start(ProbePhase.Ttfb);
        }

        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var ttfbMs = clock.Stop();
        if (auditId is not null)
        {
            audit!.Answered(auditId, response.Headers);
        }

        clock.Start(ProbePhase.Transfer);
        var body = await ReadBoundedAsync(response.Content, maxBodyBytes, keepTextBytes, expectContains, cancellationToken);
        var transferMs = clock.Stop();

        return new HttpExchangeResponse(
            (int)response.StatusCode,
            body.Bytes,
            body.Truncated,
            body.Text,
            body.Found,
            ttfbMs,
            transferMs,
            _context.TimeProvider.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>The plain-<c>http</c> origin requests are sent to (the connect callback does the TLS) and the Host header.</summary>
    private static (Uri Origin, string Host) Origin(TargetEndpoint endpoint) => (
        new UriBuilder(Uri.UriSchemeHttp, endpoint.Host, endpoint.Port) { Path = "" }.Uri,
        endpoint.Port == (endpoint.UseTls ? 443 : 80) ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port}");

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext connection, CancellationToken cancellationToken)
    {
        // The pool may run the attempt apart from the request: tie it to the probe so a stall never outlives it.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _probeToken);
        var socket = await NetworkConnector.ConnectAsync(_context, linked.Token);
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (_context.Target.Endpoint.UseTls)
        {
            stream = await NetworkConnector.AuthenticateAsync(_context, stream, Http11Only, linked.Token);
        }

        _connected = true;
        _context.Phases.Start(ProbePhase.Ttfb);
        return stream;
    }

    private static async Task<BoundedBody> ReadBoundedAsync(
        HttpContent content, int maxBodyBytes, int keepTextBytes, string? expectContains, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var kept = keepTextBytes > 0 ? new MemoryStream(Math.Min(keepTextBytes, 4096)) : null;
        var matcher = expectContains is null ? null : new StreamingMatcher(Encoding.UTF8.GetBytes(expectContains));
        long total = 0;
        var truncated = false;
        try
        {
            while (true)
            {
                var want = (int)Math.Min(buffer.Length, maxBodyBytes - total);
                if (want <= 0)
                {
                    // One more byte tells a body of exactly the limit from a longer one.
                    truncated = await stream.ReadAsync(buffer.AsMemory(0, 1), cancellationToken) > 0;
                    break;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(0, want), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                total += read;
                matcher?.Feed(buffer.AsSpan(0, read));
                if (kept is not null && kept.Length < keepTextBytes)
                {
                    kept.Write(buffer, 0, (int)Math.Min(read, keepTextBytes - kept.Length));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var text = kept is null ? null : Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length);
        return new BoundedBody(total, truncated, text, matcher?.Found);
    }

    public void Dispose() => _client.Dispose();

    private readonly record struct BoundedBody(long Bytes, bool Truncated, string? Text, bool? Found);

    /// <summary>Finds a byte sequence across chunk boundaries without keeping the body.</summary>
    private sealed class StreamingMatcher(byte[] needle)
    {
        private byte[] _carry = [];

        public bool Found { get; private set; }

        public void Feed(ReadOnlySpan<byte> chunk)
        {
            if (Found || needle.Length == 0)
            {
                Found = true;
                return;
            }

            var window = new byte[_carry.Length + chunk.Length];
            _carry.CopyTo(window, 0);
            chunk.CopyTo(window.AsSpan(_carry.Length));
            if (window.AsSpan().IndexOf(needle) >= 0)
            {
                Found = true;
                return;
            }

            var keep = Math.Min(needle.Length - 1, window.Length);
            _carry = window[^keep..];
        }
    }
}
