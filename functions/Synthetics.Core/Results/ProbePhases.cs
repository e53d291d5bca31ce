namespace Synthetics.Results;

/// <summary>
/// Where the time of one probe went, in milliseconds. A phase that did not happen (no DNS for an address,
/// no TLS on plain TCP, a phase never reached) is null, not zero.
/// </summary>
public sealed record ProbePhases
{
    public double? DnsMs { get; init; }

    public double? ConnectMs { get; init; }

    public double? TlsMs { get; init; }

    public double? TtfbMs { get; init; }

    public double? TransferMs { get; init; }

    public static ProbePhases None { get; } = new();
}
