using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Synthetics.Lab.Certificates;

/// <summary>
/// A private certificate authority generated in memory, the way a cluster's CA signs its API server
/// certificate. Keys are ECDSA P-256: generating one takes well under a millisecond, so tests and the
/// lab can afford a fresh CA each run.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private readonly ECDsa _key;

    private CertificateAuthority(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        _key = key;
    }

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificate as PEM, as found in a kubeconfig's <c>certificate-authority-data</c>.</summary>
    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>Creates a CA valid from one hour before <paramref name="now"/> for ten years.</summary>
    public static CertificateAuthority Create(string commonName, DateTimeOffset now)
    {
        var (request, key) = CaRequest(commonName, pathLength: null);
        using var selfSigned = request.CreateSelfSigned(now.AddHours(-1), now.AddYears(10));
        var publicOnly = X509CertificateLoader.LoadCertificate(selfSigned.Export(X509ContentType.Cert));
        return new CertificateAuthority(publicOnly, key);
    }

    /// <summary>
    /// An intermediate CA signed by this one, valid as long as this one: server certificates it issues chain to this CA
    /// only through it (a server that sends its leaf alone leaves the chain incomplete).
    /// </summary>
    public CertificateAuthority IssueIntermediate(string commonName)
    {
        // Path length 0: it issues server certificates, never another CA.
        var (request, key) = CaRequest(commonName, pathLength: 0);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var notBefore = new DateTimeOffset(Certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var notAfter = new DateTimeOffset(Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        using var signed = request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), notBefore, notAfter, Serial());
        return new CertificateAuthority(X509CertificateLoader.LoadCertificate(signed.Export(X509ContentType.Cert)), key);
    }

    /// <summary>
    /// Issues a TLS server certificate for the given names and addresses, valid between
    /// <paramref name="notBefore"/> and <paramref name="notAfter"/> (either may lie in the past, to make an expired one).
    /// With <paramref name="issuerUrl"/>, the certificate names where its issuer's certificate can be downloaded (an
    /// Authority Information Access caIssuers URL, as public CAs write).
    /// </summary>
    public X509Certificate2 IssueServerCertificate(
        IEnumerable<string> dnsNames,
        IEnumerable<IPAddress> addresses,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter,
        string? commonName = null,
        Uri? issuerUrl = null)
    {
        var names = dnsNames.ToList();
        var ips = addresses.ToList();
        var subjectAlternativeNames = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            subjectAlternativeNames.AddDnsName(name);
        }

        foreach (var ip in ips)
        {
            subjectAlternativeNames.AddIpAddress(ip);
        }

        var cn = commonName ?? names.FirstOrDefault() ?? ips.FirstOrDefault()?.ToString() ?? "server";
        return Issue($"CN={cn}", notBefore, notAfter, request =>
        {
            request.CertificateExtensions.Add(subjectAlternativeNames.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                [new Oid("1.3.6.1.5.5.7.3.1")], false)); // serverAuth
            if (issuerUrl is not null)
            {
                request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(ocspUris: null, caIssuersUris: [issuerUrl.AbsoluteUri]));
            }
        });
    }

    /// <summary>Issues a client certificate, as a kubeconfig user with <c>client-certificate-data</c> holds.</summary>
    public X509Certificate2 IssueClientCertificate(string commonName, DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        Issue($"CN={commonName}", notBefore, notAfter, request =>
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                [new Oid("1.3.6.1.5.5.7.3.2")], false))); // clientAuth

    private X509Certificate2 Issue(
        string subject, DateTimeOffset notBefore, DateTimeOffset notAfter, Action<CertificateRequest> extend)
    {
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, leafKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        extend(request);

        var generator = X509SignatureGenerator.CreateForECDsa(_key);
        using var unsigned = request.Create(Certificate.SubjectName, generator, notBefore, notAfter, Serial());
        using var withKey = unsigned.CopyWithPrivateKey(leafKey);
        // Round-trip through PKCS#12 so the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>A CA's request and its new key: basic constraints (a CA, with <paramref name="pathLength"/> when given), key usage, key id.</summary>
    private static (CertificateRequest Request, ECDsa Key) CaRequest(string commonName, int? pathLength)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commonName);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, pathLength is not null, pathLength ?? 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return (request, key);
    }

    private static byte[] Serial()
    {
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F; // a positive serial number
        return serial;
    }

    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }
}
