namespace Synthetics.Lab.LinodeApi;

/// <summary>A NodeBalancer as the Linode API reports it.</summary>
public sealed record NodeBalancer
{
    public required long Id { get; init; }

    /// <summary>The label, 3..32 characters of <c>[a-zA-Z0-9-_]</c>.</summary>
    public required string Label { get; init; }

    public required string Region { get; init; }

    /// <summary>The public IPv4 address; in the lab a loopback address such as <c>127.0.0.1</c>.</summary>
    public required string Ipv4 { get; init; }

    /// <summary>The public IPv6 address, or null.</summary>
    public string? Ipv6 { get; init; }

    /// <summary>The host name; defaults to the Linode form <c>&lt;ipv4&gt;.ip.linodeusercontent.com</c>.</summary>
    public string? Hostname { get; init; }

    /// <summary>New connections per second allowed from one client IP, 0..20; 0 means no throttle.</summary>
    public int ClientConnThrottle { get; init; }

    public DateTimeOffset Created { get; init; }

    public DateTimeOffset Updated { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Megabytes received this month, or null.</summary>
    public double? TransferIn { get; init; }

    /// <summary>Megabytes sent this month, or null.</summary>
    public double? TransferOut { get; init; }
}
