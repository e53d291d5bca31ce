using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Synthetics.Lab.Tests.NodeBalancers;

/// <summary>Clients that trust exactly the lab CA, the way a kubeconfig's certificate-authority-data does.</summary>
internal static class TrustingClients
{
    public static RemoteCertificateValidationCallback TrustOnly(X509Certificate2 authority) =>
        (_, certificate, _, errors) =>
        {
            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(authority);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var leaf = new X509Certificate2(certificate);
            return chain.Build(leaf);
        };

    public static HttpClient Http(X509Certificate2 authority) => new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = TrustOnly(authority) },
        // A fresh connection per request, so each one meets the NodeBalancer's fate for new connections.
        PooledConnectionLifetime = TimeSpan.Zero,
    })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };
}
