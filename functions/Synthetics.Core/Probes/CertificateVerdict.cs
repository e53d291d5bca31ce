using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Synthetics.Probes;

/// <summary>
/// Keeps what a TLS validation callback saw, to explain a rejected certificate precisely. One verdict per connection
/// attempt in the network probes; one per client in the Kubernetes probes, whose HTTP stack does the handshake, so a
/// certificate problem reads the same (and is <c>tls_failure</c>) in every probe.
/// </summary>
internal sealed class CertificateVerdict(bool keepCertificate = true)
{
    public X509Certificate2? Certificate { get; private set; }

    public string? Problem { get; private set; }

    public bool Record(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is not null && keepCertificate)
        {
            // A copy: SslStream disposes the certificate it passed once a failed handshake unwinds.
            Certificate = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        }

        if (errors == SslPolicyErrors.None)
        {
            Problem = null;
            return true;
        }

        var problems = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            problems.Add("no certificate presented");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            problems.Add("certificate is for another host name");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var statuses = chain?.ChainStatus.Select(s => s.Status).Where(s => s != X509ChainStatusFlags.NoError).Distinct().ToList() ?? [];
            if (statuses.Contains(X509ChainStatusFlags.NotTimeValid))
            {
                problems.Add("certificate expired or not yet valid");
            }

            if (statuses.Contains(X509ChainStatusFlags.UntrustedRoot) || statuses.Contains(X509ChainStatusFlags.PartialChain))
            {
                problems.Add("certificate not issued by a trusted CA");
            }

            if (problems.Count == 0 || statuses.Count == 0)
            {
                problems.Add($"certificate chain invalid ({string.Join(", ", statuses)})");
            }
        }

        Problem = string.Join("; ", problems);
        return false;
    }

    /// <summary>
    /// The chain policy for a target: its own CA bundle as the only roots, or the system store. Never downloads: a
    /// certificate's Authority Information Access URLs are the target's to write, and the monitor fetches nothing a target
    /// names (a chain the server leaves incomplete fails here as it fails in kubectl and Go clients, which do not fetch
    /// either). Revocation is not checked (no network either).
    /// </summary>
    public static X509ChainPolicy ChainPolicy(X509Certificate2Collection? trusted)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = trusted is null ? X509ChainTrustMode.System : X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        if (trusted is not null)
        {
            policy.CustomTrustStore.AddRange(trusted);
        }

        return policy;
    }
}
