using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Synthetics.Probes;

/// <summary>
/// A loopback HTTPS server that answers as much of kube-apiserver as the probes touch (health checks, <c>/version</c>,
/// Lease list, read, create, replace and an empty watch), under a certificate made for it: what <see cref="ProbeWarmUp"/>
/// runs the probes against before a process's first measurement. Never reachable from outside (127.0.0.1, a free port),
/// gone after the warm-up.
/// </summary>
internal sealed class WarmUpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, JsonObject> _leases = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly Task _accepting;
    private int _resourceVersion;
    private int _answers;

    public WarmUpServer()
    {
        // A CA and a server certificate it issued, as a cluster CA and its API server's: the client builds and checks the
        // same two-level chain a real target makes it build. Valid whatever the clock says: validity is not exercised.
        var notBefore = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var notAfter = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=lke-synthetics-warm-up-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);
        Authority = X509CertificateLoader.LoadCertificate(ca.Export(X509ContentType.Cert));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=lke-synthetics-warm-up", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var issued = request.Create(ca, notBefore, notAfter, [1, 2, 3, 4, 5, 6, 7, 8]);
        using var withKey = issued.CopyWithPrivateKey(key);
        Certificate = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>The CA that issued <see cref="Certificate"/>: the one the warm-up targets trust.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The server's certificate, for 127.0.0.1.</summary>
    public X509Certificate2 Certificate { get; }

    public int Port { get; }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stopping.Dispose();
        Certificate.Dispose();
        Authority.Dispose();
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
                connections.Add(ServeAsync(client));
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }
        }

        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = Certificate }, _stopping.Token);
                var reader = new RequestReader(tls);
                while (await reader.ReadAsync(_stopping.Token) is { } request)
                {
                    await AnswerAsync(tls, request, _stopping.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException
                                           or System.Security.Authentication.AuthenticationException or InvalidOperationException)
            {
                // A probe that only connects, or closes when done; or the warm-up ended.
            }
        }
    }

    private async Task AnswerAsync(Stream stream, Request request, CancellationToken cancellationToken)
    {
        var path = request.Target.Split('?')[0].TrimEnd('/');
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var (status, type, body) = request.Method switch
        {
            _ when path.EndsWith("/readyz", StringComparison.Ordinal) || path.EndsWith("/livez", StringComparison.Ordinal) || path is "/readyz" or "/livez"
                => (200, "text/plain; charset=utf-8", "[+]ping ok\n[+]etcd ok\ncheck passed\n"),
            _ when path.EndsWith("/version", StringComparison.Ordinal) => (200, "application/json", """{"major":"1","minor":"31","gitVersion":"v1.31.0"}"""),
            "GET" when request.Target.Contains("watch=true", StringComparison.Ordinal) => (200, "application/json", ""),
            "GET" when segments.Length > 1 && segments[^2] == "leases" => Read(segments[^1]),
            "POST" or "PUT" => Store(request.Body),
            _ => (200, "application/json", List()),
        };
        var bytes = Encoding.UTF8.GetBytes(body);
        // The headers kube-apiserver sends, so the client parses what it will parse in a real cycle; every other answer
        // chunked, as servers send a body they stream, so both ways of framing a body are run.
        var chunked = Interlocked.Increment(ref _answers) % 2 == 0;
        var head = $"HTTP/1.1 {status} {(status == 404 ? "Not Found" : "OK")}\r\nAudit-Id: {request.AuditId}\r\nCache-Control: no-cache, private\r\n"
                   + $"Content-Type: {type}\r\nX-Kubernetes-Pf-Flowschema-Uid: warm-up\r\nX-Kubernetes-Pf-Prioritylevel-Uid: warm-up\r\n"
                   + $"Date: {DateTime.UnixEpoch:R}\r\n"
                   + (chunked ? "Transfer-Encoding: chunked\r\n\r\n" : $"Content-Length: {bytes.Length}\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken);
        if (chunked && bytes.Length > 0)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{bytes.Length:X}\r\n"), cancellationToken);
            await stream.WriteAsync(bytes, cancellationToken);
            await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
        }
        else if (!chunked)
        {
            await stream.WriteAsync(bytes, cancellationToken);
        }

        if (chunked)
        {
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), cancellationToken);
        }

        await stream.FlushAsync(cancellationToken);
    }

    private (int, string, string) Read(string name)
    {
        lock (_lock)
        {
            return _leases.TryGetValue(name, out var lease)
                ? (200, "application/json", lease.ToJsonString())
                : (404, "application/json", """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","reason":"NotFound","code":404}""");
        }
    }

    private (int, string, string) Store(string body)
    {
        if (JsonNode.Parse(body) is not JsonObject lease || lease["metadata"]?["name"]?.GetValue<string>() is not { } name)
        {
            return (400, "application/json", """{"kind":"Status","apiVersion":"v1","status":"Failure","code":400}""");
        }

        lock (_lock)
        {
            lease["kind"] = "Lease";
            lease["apiVersion"] = "coordination.k8s.io/v1";
            // What the API server adds: the client reads these fields (times, ids) from every real Lease.
            var metadata = lease["metadata"]!.AsObject();
            metadata["resourceVersion"] = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
            metadata["uid"] ??= Guid.NewGuid().ToString();
            metadata["creationTimestamp"] ??= "2026-01-01T00:00:00Z";
            _leases[name] = lease;
            return (200, "application/json", lease.ToJsonString());
        }
    }

    private string List()
    {
        lock (_lock)
        {
            var items = new JsonArray([.. _leases.Values.Select(l => (JsonNode)l.DeepClone())]);
            return new JsonObject
            {
                ["kind"] = "LeaseList",
                ["apiVersion"] = "coordination.k8s.io/v1",
                ["metadata"] = new JsonObject { ["resourceVersion"] = _resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                ["items"] = items,
            }.ToJsonString();
        }
    }

    private sealed record Request(string Method, string Target, string AuditId, string Body);

    /// <summary>Reads HTTP/1.1 requests (head and a Content-Length body) off a kept-alive stream.</summary>
    private sealed class RequestReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _filled;

        public async Task<Request?> ReadAsync(CancellationToken cancellationToken)
        {
            int end;
            while ((end = _buffer.AsSpan(0, _filled).IndexOf("\r\n\r\n"u8)) < 0)
            {
                if (_filled == _buffer.Length || await stream.ReadAsync(_buffer.AsMemory(_filled), cancellationToken) is not (> 0 and var read))
                {
                    return null;
                }

                _filled += read;
            }

            var lines = Encoding.ASCII.GetString(_buffer, 0, end).Split("\r\n");
            var requestLine = lines[0].Split(' ');
            var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
                .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
            var length = headers.TryGetValue("Content-Length", out var text) && int.TryParse(text, out var n) ? n : 0;
            var start = end + 4;
            while (_filled - start < length)
            {
                if (_filled == _buffer.Length || await stream.ReadAsync(_buffer.AsMemory(_filled), cancellationToken) is not (> 0 and var read))
                {
                    return null;
                }

                _filled += read;
            }

            var body = Encoding.UTF8.GetString(_buffer, start, length);
            var consumed = start + length;
            Buffer.BlockCopy(_buffer, consumed, _buffer, 0, _filled - consumed);
            _filled -= consumed;
            return new Request(requestLine[0], requestLine.Length > 1 ? requestLine[1] : "/", headers.GetValueOrDefault("Audit-ID") ?? "", body);
        }
    }
}
