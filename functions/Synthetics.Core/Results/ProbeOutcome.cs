using System.Text.Json.Serialization;

namespace Synthetics.Results;

/// <summary>What a probe saw, in the vocabulary of DESIGN §3 (contract: the JSON names are stable).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProbeOutcome>))]
public enum ProbeOutcome
{
    /// <summary>Worked, within the latency threshold.</summary>
    [JsonStringEnumMemberName("ok")] Ok,

    /// <summary>Worked, but slower than the target's threshold.</summary>
    [JsonStringEnumMemberName("slow")] Slow,

    /// <summary>No answer within the probe's timeout.</summary>
    [JsonStringEnumMemberName("timeout")] Timeout,

    /// <summary>The connection was refused (RST to SYN).</summary>
    [JsonStringEnumMemberName("refused")] Refused,

    /// <summary>The connection was reset or closed by the peer mid-exchange.</summary>
    [JsonStringEnumMemberName("reset")] Reset,

    /// <summary>The name did not resolve.</summary>
    [JsonStringEnumMemberName("dns_failure")] DnsFailure,

    /// <summary>The TLS handshake failed or the certificate was not trusted.</summary>
    [JsonStringEnumMemberName("tls_failure")] TlsFailure,

    /// <summary>Worked, but the certificate expires within the warning period.</summary>
    [JsonStringEnumMemberName("cert_expiring")] CertExpiring,

    /// <summary>An HTTP status other than the expected one.</summary>
    [JsonStringEnumMemberName("http_status")] HttpStatus,

    /// <summary>The body did not hold what was expected.</summary>
    [JsonStringEnumMemberName("unexpected_body")] UnexpectedBody,

    /// <summary>401 or 403: the credentials were refused.</summary>
    [JsonStringEnumMemberName("unauthorized")] Unauthorized,

    /// <summary>readyz/livez reported failing checks.</summary>
    [JsonStringEnumMemberName("unhealthy")] Unhealthy,

    /// <summary>The leader-election canary lost its lease.</summary>
    [JsonStringEnumMemberName("lease_lost")] LeaseLost,

    /// <summary>A watch was cut before its time.</summary>
    [JsonStringEnumMemberName("watch_dropped")] WatchDropped,

    /// <summary>Anything else, including answers that are not the protocol spoken (garbage).</summary>
    [JsonStringEnumMemberName("error")] Error,
}
