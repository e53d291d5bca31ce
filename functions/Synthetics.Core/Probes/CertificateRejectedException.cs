namespace Synthetics.Probes;

/// <summary>The server's certificate was not accepted; the message says why (expired, wrong name, untrusted CA).</summary>
public sealed class CertificateRejectedException : Exception
{
    public CertificateRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CertificateRejectedException()
    {
    }

    public CertificateRejectedException(string message)
        : base(message)
    {
    }
}
