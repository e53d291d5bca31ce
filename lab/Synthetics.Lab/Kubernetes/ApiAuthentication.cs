using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Synthetics.Lab.Kubernetes;

/// <summary>
/// The API server's authentication step: a bearer token from the set, or a client certificate the TLS handshake
/// already verified against the cluster CA. As on a real server, presenting a bad token fails even where anonymous
/// access would have been allowed.
/// </summary>
internal sealed class ApiAuthentication
{
    private readonly ConcurrentDictionary<string, byte> _tokens = new(StringComparer.Ordinal);

    public ApiAuthentication(IEnumerable<string> tokens)
    {
        foreach (var token in tokens)
        {
            Add(token);
        }
    }

    public void Add(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        _tokens[token] = 0;
    }

    public bool Revoke(string token) => _tokens.TryRemove(token, out _);

    public static bool AllowsAnonymous(PathString path) =>
        path.StartsWithSegments("/readyz") || path.StartsWithSegments("/livez") ||
        path.StartsWithSegments("/healthz") || path.Equals("/version");

    public bool? Authenticate(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            const string scheme = "Bearer ";
            return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) &&
                   _tokens.ContainsKey(header[scheme.Length..].Trim());
        }

        // A client certificate reaches here only after ClientCertificateValidation accepted it.
        return context.Connection.ClientCertificate is not null ? true : null;
    }
}
