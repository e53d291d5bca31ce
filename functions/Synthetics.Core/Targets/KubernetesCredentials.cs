using System.Security.Cryptography.X509Certificates;

namespace Synthetics.Targets;

/// <summary>
/// How a control plane is reached, from a kubeconfig. Holds secrets: <see cref="ToString"/> never shows them,
/// and nothing else in the product prints this type.
/// </summary>
public sealed class KubernetesCredentials
{
    /// <summary>The API server URL, e.g. <c>https://1a2b.ca-central-1.linodelke.net:443</c>.</summary>
    public required Uri Server { get; init; }

    /// <summary>Bearer token, or null when a client certificate is used.</summary>
    public string? BearerToken { get; init; }

    /// <summary>Client certificate with its key, or null when a token is used.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>The kubeconfig file this came from (a path, never the content).</summary>
    public required string KubeconfigPath { get; init; }

    /// <summary>
    /// What the kubeconfig asked for and was ignored on purpose (e.g. <c>insecure-skip-tls-verify</c>), one line each,
    /// naming the field, never its value. Reported as warnings by the cycle runner; empty for most kubeconfigs.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public override string ToString() =>
        $"{Server} ({(BearerToken is not null ? "token" : ClientCertificate is not null ? "client certificate" : "anonymous")})";
}
