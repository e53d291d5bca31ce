using System.Net;
using System.Security.Cryptography.X509Certificates;
using Synthetics.Lab.Certificates;

namespace Synthetics.Core.Tests.Support;

/// <summary>A CA generated for the test run and the server certificates the probe tests need.</summary>
public sealed class TestPki : IDisposable
{
    public TestPki()
    {
        var now = DateTimeOffset.UtcNow;
        Ca = CertificateAuthority.Create("LKE Synthetics test CA", now);
        OtherCa = CertificateAuthority.Create("Somebody else's CA", now);
        Valid = Ca.IssueServerCertificate(["localhost"], [IPAddress.Loopback], now.AddDays(-1), now.AddDays(90));
        Expired = Ca.IssueServerCertificate(["localhost"], [IPAddress.Loopback], now.AddDays(-30), now.AddDays(-1));
        ExpiringSoon = Ca.IssueServerCertificate(["localhost"], [IPAddress.Loopback], now.AddDays(-80), now.AddDays(10));
        OtherHost = Ca.IssueServerCertificate(["other.example"], [], now.AddDays(-1), now.AddDays(90));
        FromOtherCa = OtherCa.IssueServerCertificate(["localhost"], [IPAddress.Loopback], now.AddDays(-1), now.AddDays(90));
    }

    public CertificateAuthority Ca { get; }

    public CertificateAuthority OtherCa { get; }

    public X509Certificate2 Valid { get; }

    public X509Certificate2 Expired { get; }

    public X509Certificate2 ExpiringSoon { get; }

    public X509Certificate2 OtherHost { get; }

    public X509Certificate2 FromOtherCa { get; }

    public X509Certificate2Collection Trusted => [X509CertificateLoader.LoadCertificate(Ca.Certificate.RawData)];

    public void Dispose()
    {
        Valid.Dispose();
        Expired.Dispose();
        ExpiringSoon.Dispose();
        OtherHost.Dispose();
        FromOtherCa.Dispose();
        Ca.Dispose();
        OtherCa.Dispose();
    }
}
