namespace Synthetics.Lab.LinodeApi;

/// <summary>A backend of one NodeBalancer config.</summary>
public sealed record NodeBalancerNode
{
    public required long Id { get; init; }

    public required long ConfigId { get; init; }

    public required long NodeBalancerId { get; init; }

    /// <summary>Private address and port, e.g. <c>192.168.210.120:80</c> (in the lab a loopback one).</summary>
    public required string Address { get; init; }

    /// <summary>The label, 3..32 characters of <c>[a-zA-Z0-9-_.]</c>.</summary>
    public required string Label { get; init; }

    /// <summary><c>UP</c>, <c>DOWN</c> or <c>unknown</c>, as the NodeBalancer's checks see it. Default <c>UP</c>.</summary>
    public string Status { get; init; } = "UP";

    /// <summary>Share of traffic, 1..255. Default 100.</summary>
    public int Weight { get; init; } = 100;

    /// <summary><c>accept</c>, <c>reject</c>, <c>drain</c> or <c>backup</c>. Default <c>accept</c>.</summary>
    public string Mode { get; init; } = "accept";
}
