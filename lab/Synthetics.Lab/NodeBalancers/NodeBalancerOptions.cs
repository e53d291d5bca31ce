using System.Net;

namespace Synthetics.Lab.NodeBalancers;

/// <summary>How a lab <see cref="NodeBalancer"/> is built.</summary>
public sealed class NodeBalancerOptions
{
    /// <summary>The NodeBalancer's label, e.g. <c>lke-ca-central-cp</c>.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// Client identities (e.g. <c>eu-west</c>, <c>us-east-azure</c>, <c>asia</c>); each gets its own listener on
    /// 127.0.0.1 so a fault can target one vantage. At least one, unique (ordinal).
    /// </summary>
    public required IReadOnlyList<string> Vantages { get; init; }

    /// <summary>Backends in round-robin order; all start up. At least one.</summary>
    public required IReadOnlyList<IPEndPoint> Backends { get; init; }

    /// <summary>Seed of the random source deciding stalls, resets and cut times, so runs repeat. Default 20240312.</summary>
    public int Seed { get; init; } = 20240312;

    /// <summary>Clock for every delay and timer. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long dialling one backend may take before the next is tried. Default 5 s.</summary>
    public TimeSpan BackendConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
