namespace Synthetics.Lab.LinodeApi;

/// <summary>A Linode region as <c>GET /v4/regions</c> lists it.</summary>
public sealed record LinodeRegion
{
    /// <summary>The region id, e.g. <c>ca-central</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The display label, e.g. <c>Toronto, CA</c>.</summary>
    public required string Label { get; init; }

    /// <summary>Two-letter country code, lower case.</summary>
    public required string Country { get; init; }

    public IReadOnlyList<string> Capabilities { get; init; } = ["Linodes", "NodeBalancers", "Kubernetes"];

    /// <summary><c>ok</c> or <c>outage</c>. Default <c>ok</c>.</summary>
    public string Status { get; init; } = "ok";

    /// <summary><c>core</c> or <c>distributed</c>. Default <c>core</c>.</summary>
    public string SiteType { get; init; } = "core";

    /// <summary>Comma-separated IPv4 resolvers.</summary>
    public string ResolversIpv4 { get; init; } = "127.0.0.53";

    /// <summary>Comma-separated IPv6 resolvers.</summary>
    public string ResolversIpv6 { get; init; } = "::1";
}
