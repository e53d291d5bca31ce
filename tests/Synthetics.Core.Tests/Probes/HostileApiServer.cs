using System.Collections.Concurrent;
using Synthetics.Core.Tests.Support;
using Synthetics.Lab.Sockets;

namespace Synthetics.Core.Tests.Probes;

/// <summary>
/// An API server on 127.0.0.1 that answers the health checks as kube-apiserver does and whatever a test says elsewhere:
/// HTML, truncated JSON, objects that are not Leases. Counts requests by route, so tests bound what a probe sends to a
/// failing server by counting, never by timing. One request per connection (<c>Connection: close</c>).
/// </summary>
internal sealed class HostileApiServer : IAsyncDisposable
{
    /// <summary>A valid empty LeaseList, so a watch gets as far as watching.</summary>
    public const string LeaseList = """{"kind":"LeaseList","apiVersion":"coordination.k8s.io/v1","metadata":{"resourceVersion":"7"},"items":[]}""";

    private readonly ScriptedServer _server;
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);

    /// <param name="pki">The server certificate is <see cref="TestPki.Valid"/>.</param>
    /// <param name="answer">Answer for anything but the health checks: (route, method) → status, content type, body.</param>
    public HostileApiServer(TestPki pki, Func<string, string, (int Status, string ContentType, string Body)> answer)
    {
        _server = ScriptedServer.Start(async (connection, cancellationToken) =>
        {
            await connection.AuthenticateAsync(pki.Valid, cancellationToken);
            var head = await connection.ReadRequestHeadAsync(cancellationToken);
            if (head is null)
            {
                return;
            }

            var requestLine = head[..head.IndexOf('\r', StringComparison.Ordinal)].Split(' ');
            var method = requestLine[0];
            var target = requestLine.Length > 1 ? requestLine[1] : "/";
            var route = Route(method, target);
            _requests.AddOrUpdate(route, 1, (_, n) => n + 1);
            var (status, contentType, body) = route switch
            {
                "readyz" or "livez" => (200, "text/plain; charset=utf-8", $"[+]ping ok\n[+]etcd ok\n{route} check passed\n"),
                "version" => (200, "application/json", """{"major":"1","minor":"31","gitVersion":"v1.31.4"}"""),
                _ => answer(route, method),
            };
            await connection.RespondAsync(status, body, cancellationToken, contentType, keepAlive: false);
        });
    }

    public int Port => _server.Port;

    /// <summary>Requests seen on a route: <c>readyz</c>, <c>livez</c>, <c>version</c>, <c>list</c>, <c>watch</c>, <c>create</c>, <c>lease</c> (one Lease: read or replace).</summary>
    public int Requests(string route) => _requests.GetValueOrDefault(route);

    private static string Route(string method, string target)
    {
        var path = target.Split('?')[0].TrimEnd('/');
        if (path.EndsWith("/readyz", StringComparison.Ordinal) || path.EndsWith("/livez", StringComparison.Ordinal) || path.EndsWith("/version", StringComparison.Ordinal))
        {
            return path[(path.LastIndexOf('/') + 1)..];
        }

        if (path.EndsWith("/leases", StringComparison.Ordinal))
        {
            return target.Contains("watch=true", StringComparison.Ordinal) ? "watch" : method == "POST" ? "create" : "list";
        }

        return path.Contains("/leases/", StringComparison.Ordinal) ? "lease" : "other";
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
