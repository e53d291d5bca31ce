using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;

namespace Synthetics.Probes;

/// <summary>
/// The first three phases every network probe shares: resolve, connect, handshake. Each is timed on its own
/// through the context's <see cref="PhaseClock"/>, on a fresh socket every time: new connections are what a
/// NodeBalancer change breaks first.
/// </summary>
internal static class NetworkConnector
{
    /// <summary>Resolves the target host (skipped, with no dns phase, for an address).</summary>
    public static async Task<IPAddress[]> ResolveAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.Target.Endpoint;
        if (IPAddress.TryParse(endpoint.Host, out var literal))
        {
            return [literal];
        }

        context.Phases.Start(ProbePhase.Dns);
        var addresses = await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        context.Phases.Stop();
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        context.SetDetail("resolvedAddresses", addresses.Select(a => a.ToString()).ToArray());
        return addresses;
    }

    /// <summary>Resolves and connects a TCP socket to the first address (Nagle off: probes send small requests).</summary>
    public static async Task<Socket> ConnectAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(context, cancellationToken);
        var address = addresses[0];
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            context.RemoteAddress = address.ToString();
            context.Phases.Start(ProbePhase.Connect);
            await socket.ConnectAsync(new IPEndPoint(address, context.Target.Endpoint.Port), cancellationToken);
            context.Phases.Stop();
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the TLS handshake over <paramref name="transport"/>, verifying the chain against the target's CA
    /// (or the system store) and the host name, and records protocol and certificate facts in details.
    /// </summary>
    public static async Task<SslStream> AuthenticateAsync(
        ProbeContext context, Stream transport, IList<SslApplicationProtocol>? alpn, CancellationToken cancellationToken)
    {
        var target = context.Target;
        var verdict = new CertificateVerdict(keepCertificate: context.RecordsCertificate);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = target.Endpoint.Host,
            ApplicationProtocols = alpn is null ? null : alpn as List<SslApplicationProtocol> ?? [.. alpn],
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            // A fresh connection measures a full handshake: the runtime would otherwise resume the session of an earlier
            // connection to the same host name (TLS 1.3: no certificate sent), a handshake no first-time client does.
            AllowTlsResume = false,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) => verdict.Record(certificate, chain, errors),
            CertificateChainPolicy = target.TrustedCertificates is { } trusted ? ChainPolicies.GetValue(trusted, CertificateVerdict.ChainPolicy) : SystemChainPolicy,
        };

        if (target.Kubernetes?.ClientCertificate is { } clientCertificate)
        {
            options.ClientCertificates = [clientCertificate];
        }

        var ssl = new SslStream(transport, leaveInnerStreamOpen: false);
        try
        {
            context.Phases.Start(ProbePhase.Tls);
            await ssl.AuthenticateAsClientAsync(options, cancellationToken);
            context.Phases.Stop();
        }
        catch (System.Security.Authentication.AuthenticationException ex) when (verdict.Problem is not null)
        {
            RecordCertificate(context, verdict.Certificate);
            await ssl.DisposeAsync();
            throw new CertificateRejectedException(verdict.Problem, ex);
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }

        if (context.RecordsCertificate)
        {
            context.SetDetail("tlsProtocol", FormatProtocol(ssl.SslProtocol));
            context.SetDetail("chainValid", true);
            RecordCertificate(context, verdict.Certificate);
        }

        return ssl;
    }

    // One policy per CA bundle, built once: SslStream clones the policy it is given, so a shared one is never changed.
    // A target's bundle is loaded with its catalog and not changed afterwards.
    private static readonly ConditionalWeakTable<X509Certificate2Collection, X509ChainPolicy> ChainPolicies = new();

    private static readonly X509ChainPolicy SystemChainPolicy = CertificateVerdict.ChainPolicy(trusted: null);

    private static void RecordCertificate(ProbeContext context, X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return;
        }

        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var daysLeft = (notAfter - context.TimeProvider.GetUtcNow()).TotalDays;
        context.SetDetail("certSubject", certificate.Subject);
        context.SetDetail("certIssuer", certificate.Issuer);
        context.SetDetail("certNotAfter", notAfter.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        context.SetDetail("certDaysLeft", Math.Round(daysLeft, 2));
    }

    private static string FormatProtocol(System.Security.Authentication.SslProtocols protocol) => protocol switch
    {
        System.Security.Authentication.SslProtocols.Tls13 => "TLSv1.3",
        System.Security.Authentication.SslProtocols.Tls12 => "TLSv1.2",
        _ => protocol.ToString(),
    };
}
