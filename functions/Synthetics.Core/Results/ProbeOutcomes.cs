namespace Synthetics.Results;

/// <summary>Facts about outcomes used across the product.</summary>
public static class ProbeOutcomes
{
    /// <summary>Whether the probed thing worked (ok, slow, cert_expiring).</summary>
    public static bool IsSuccess(this ProbeOutcome outcome) =>
        outcome is ProbeOutcome.Ok or ProbeOutcome.Slow or ProbeOutcome.CertExpiring;

    /// <summary>The contract name, e.g. <c>dns_failure</c>.</summary>
    public static string ToContractName(this ProbeOutcome outcome) => outcome switch
    {
        ProbeOutcome.Ok => "ok",
        ProbeOutcome.Slow => "slow",
        ProbeOutcome.Timeout => "timeout",
        ProbeOutcome.Refused => "refused",
        ProbeOutcome.Reset => "reset",
        ProbeOutcome.DnsFailure => "dns_failure",
        ProbeOutcome.TlsFailure => "tls_failure",
        ProbeOutcome.CertExpiring => "cert_expiring",
        ProbeOutcome.HttpStatus => "http_status",
        ProbeOutcome.UnexpectedBody => "unexpected_body",
        ProbeOutcome.Unauthorized => "unauthorized",
        ProbeOutcome.Unhealthy => "unhealthy",
        ProbeOutcome.LeaseLost => "lease_lost",
        ProbeOutcome.WatchDropped => "watch_dropped",
        _ => "error",
    };
}
