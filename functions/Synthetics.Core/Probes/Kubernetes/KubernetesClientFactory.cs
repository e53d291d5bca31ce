using k8s;
using Synthetics.Targets;

namespace Synthetics.Probes.Kubernetes;

/// <summary>
/// Builds a KubernetesClient for a target from what the kubeconfig gave (server, cluster CA, token or client certificate),
/// with <see cref="KubernetesAnswerCheck"/> under it,
/// never from the file again: the credentials were validated once at start. Every client bounds each API call, so a stalled
/// control plane becomes a failed call, and says what it is in its User-Agent.
/// </summary>
internal static class KubernetesClientFactory
{
    /// <summary>
    /// A new client, hence new connections; the caller disposes it. Each request is stamped with an Audit-ID of the
    /// trail <paramref name="audit"/> gives at that moment (the run's own).
    /// </summary>
    public static k8s.Kubernetes Create(Target target, string userAgent, TimeSpan callTimeout, Func<AuditTrail> audit)
    {
        var credentials = target.Kubernetes
            ?? throw new InvalidOperationException($"Target '{target.Name}' has no Kubernetes credentials.");
        var certificate = credentials.ClientCertificate;
        var verdict = new CertificateVerdict();
        var policy = CertificateVerdict.ChainPolicy(target.TrustedCertificates);
        var configuration = new KubernetesClientConfiguration
        {
            Host = credentials.Server.ToString(),
            // No SslCaCerts: KubernetesClient would install its own validation. The handler below gets the same
            // validation as the network probes (the cluster CA as the only root, the host name checked), so a certificate
            // problem is the same tls_failure with the same message in every probe.
            AccessToken = credentials.BearerToken,
            HttpClientTimeout = callTimeout,
            UserAgent = userAgent,
            FirstMessageHandlerSetup = handler =>
            {
                if (handler is not SocketsHttpHandler sockets)
                {
                    return;
                }

                sockets.SslOptions.CertificateChainPolicy = policy;
                sockets.SslOptions.CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                sockets.SslOptions.RemoteCertificateValidationCallback = (_, serverCertificate, chain, errors) => verdict.Record(serverCertificate, chain, errors);
                if (certificate is not null)
                {
                    // The loader already holds the certificate with its key; handing the handler the object avoids writing key material anywhere.
                    sockets.SslOptions.ClientCertificates ??= [];
                    sockets.SslOptions.ClientCertificates.Add(certificate);
                }
            },
        };
        return new k8s.Kubernetes(configuration, new KubernetesAnswerCheck(verdict, audit));
    }

    /// <summary>The canary Lease of a vantage point: <c>synthetics-&lt;vantage&gt;</c>, made a valid object name.</summary>
    public static string LeaseName(string vantage)
    {
        var name = new string([.. ("synthetics-" + vantage).ToLowerInvariant().Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.' ? c : '-')]);
        return name.Length > 253 ? name[..253].TrimEnd('-', '.') : name.TrimEnd('-', '.');
    }
}
