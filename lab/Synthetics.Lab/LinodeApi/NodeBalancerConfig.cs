namespace Synthetics.Lab.LinodeApi;

/// <summary>
/// One port of a NodeBalancer. <c>nodes_status</c> is not stored: the API derives it from the nodes in
/// the model, so a node marked DOWN shows up in both places at once.
/// </summary>
public sealed record NodeBalancerConfig
{
    public required long Id { get; init; }

    public required long NodeBalancerId { get; init; }

    /// <summary>The public port, 1..65535.</summary>
    public required int Port { get; init; }

    /// <summary><c>http</c>, <c>https</c>, <c>tcp</c> or <c>udp</c>. Default <c>tcp</c>.</summary>
    public string Protocol { get; init; } = "tcp";

    /// <summary><c>roundrobin</c>, <c>leastconn</c>, <c>source</c>… Default <c>roundrobin</c>.</summary>
    public string Algorithm { get; init; } = "roundrobin";

    /// <summary><c>none</c>, <c>table</c>, <c>http_cookie</c>… Default <c>none</c>.</summary>
    public string Stickiness { get; init; } = "none";

    /// <summary><c>none</c>, <c>connection</c>, <c>http</c> or <c>http_body</c>. Default <c>connection</c>.</summary>
    public string Check { get; init; } = "connection";

    /// <summary>Seconds between active checks, 2..3600. Default 5.</summary>
    public int CheckInterval { get; init; } = 5;

    /// <summary>Seconds to wait for a check, 1..30. Default 3.</summary>
    public int CheckTimeout { get; init; } = 3;

    /// <summary>Failed checks before a node is taken out, 1..30. Default 2.</summary>
    public int CheckAttempts { get; init; } = 2;

    public string CheckPath { get; init; } = "";

    public string CheckBody { get; init; } = "";

    /// <summary>Whether passive checks are on. Default true.</summary>
    public bool CheckPassive { get; init; } = true;

    /// <summary><c>recommended</c> or <c>legacy</c>. Default <c>recommended</c>.</summary>
    public string CipherSuite { get; init; } = "recommended";

    /// <summary><c>none</c>, <c>v1</c> or <c>v2</c>. Default <c>none</c>.</summary>
    public string ProxyProtocol { get; init; } = "none";

    /// <summary>The common name of the TLS certificate for <c>https</c>, or null (served as empty).</summary>
    public string? SslCommonName { get; init; }

    /// <summary>The fingerprint of the TLS certificate for <c>https</c>, or null (served as empty).</summary>
    public string? SslFingerprint { get; init; }
}
