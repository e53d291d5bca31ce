namespace Synthetics.Benchmarks;

/// <summary>
/// What the network does to one simulated probe connection: the lab's fault model (<c>FaultPlan</c>) reduced to
/// shares, a latency and a window in simulated minutes. A fault touches a region (every NodeBalancer in it) or a vantage
/// (every connection it opens); background noise touches everything, always; disturbances are the monitor's own
/// everyday trouble (a vantage losing its path, a slow minute, a restart).
/// </summary>
internal sealed record DetectionScenario
{
    public required string Name { get; init; }

    /// <summary>The region whose NodeBalancers misbehave, or null.</summary>
    public string? FaultRegion { get; init; }

    /// <summary>The vantage whose own network misbehaves, or null.</summary>
    public string? FaultVantage { get; init; }

    public int FaultStartMinute { get; init; }

    /// <summary>Seconds into <see cref="FaultStartMinute"/> at which the fault begins: a fault does not wait for a cycle.</summary>
    public double OnsetSecond { get; init; }

    public int FaultEndMinute { get; init; }

    /// <summary>Share of new connections stalled past the probe's timeout while the fault lasts.</summary>
    public double StallShare { get; init; }

    /// <summary>Share of new connections reset while the fault lasts.</summary>
    public double ResetShare { get; init; }

    /// <summary>Milliseconds added to every new connection's connect while the fault lasts (nothing fails of it).</summary>
    public double ExtraConnectMs { get; init; }

    /// <summary>Age range at which forwarded connections are cut while the fault lasts, or null (never cut).</summary>
    public (TimeSpan Min, TimeSpan Max)? CutAfter { get; init; }

    /// <summary>Share of requests failing (timeout or reset, evenly) with no fault at all: the Internet's background.</summary>
    public double NoiseShare { get; init; } = 0.003;

    /// <summary>The monitor's own trouble, none of it the provider's.</summary>
    public IReadOnlyList<Disturbance> Disturbances { get; init; } = [];

    public bool HasFault => FaultRegion is not null || FaultVantage is not null;

    /// <summary>The fault's onset in fractional minutes.</summary>
    public double Onset => FaultStartMinute + (OnsetSecond / 60);

    public static DetectionScenario Healthy { get; } = new() { Name = "healthy" };

    /// <summary>The lab's <c>march-12</c>: ca-central NodeBalancers stall 8% and reset 3% of new connections and cut long-lived ones after 30–90 s.</summary>
    public static DetectionScenario March12(int onset, int length) => new()
    {
        Name = "march-12",
        FaultRegion = "ca-central",
        FaultStartMinute = onset,
        FaultEndMinute = onset + length,
        StallShare = 0.08,
        ResetShare = 0.03,
        CutAfter = (TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(90)),
    };

    /// <summary><paramref name="share"/> of ca-central's new connections failing, half stalled, half reset.</summary>
    public static DetectionScenario ConnectionsFailing(double share, int onset, int length) => new()
    {
        Name = FormattableString.Invariant($"{share:0%} failing"),
        FaultRegion = "ca-central",
        FaultStartMinute = onset,
        FaultEndMinute = onset + length,
        StallShare = share / 2,
        ResetShare = share / 2,
    };

    /// <summary>ca-central's new connections connecting <paramref name="extraMs"/> slower, nothing failing.</summary>
    public static DetectionScenario SlowConnect(double extraMs, int onset, int length) => new()
    {
        Name = FormattableString.Invariant($"+{extraMs:0} ms connect"),
        FaultRegion = "ca-central",
        FaultStartMinute = onset,
        FaultEndMinute = onset + length,
        ExtraConnectMs = extraMs,
    };

    /// <summary>One vantage's own network times out everything: our problem, never the provider's.</summary>
    public static DetectionScenario VantageBlip(int onset, int length) => new()
    {
        Name = "vantage-blip",
        FaultVantage = "eu-west",
        FaultStartMinute = onset,
        FaultEndMinute = onset + length,
        StallShare = 1,
    };

    /// <summary>Whether the fault touches a connection opened at <paramref name="minute"/> (fractional) to <paramref name="region"/> from <paramref name="vantage"/>.</summary>
    public bool Touches(double minute, string region, string? vantage) =>
        minute >= Onset && minute < FaultEndMinute
        && (FaultRegion is null || FaultRegion == region)
        && (FaultVantage is null || FaultVantage == vantage);

    /// <summary>The disturbance of <paramref name="kind"/> at <paramref name="vantage"/> at <paramref name="minute"/>, if any.</summary>
    public bool Disturbed(DisturbanceKind kind, string vantage, double minute) =>
        Disturbances.Any(d => d.Kind == kind && d.Vantage == vantage && minute >= d.StartMinute && minute < d.StartMinute + d.Minutes);
}

/// <summary>The monitor's own everyday trouble at one vantage.</summary>
internal enum DisturbanceKind
{
    /// <summary>The vantage's network path is gone: everything it opens times out.</summary>
    PathLoss,

    /// <summary>The vantage's instance is starved: everything it measures takes two seconds longer.</summary>
    SlowMinute,

    /// <summary>The vantage's instance restarts: no cycles, then a cold one (never judged).</summary>
    Restart,
}

/// <summary>One disturbance: its kind, where, from which simulated minute and for how long.</summary>
internal sealed record Disturbance(DisturbanceKind Kind, string Vantage, double StartMinute, double Minutes);
