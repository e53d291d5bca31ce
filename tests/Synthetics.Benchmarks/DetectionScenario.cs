namespace Synthetics.Benchmarks;

/// <summary>
/// What the network does to one simulated probe connection: the lab's fault model (<c>FaultPlan</c>) reduced to
/// shares and a window in simulated minutes. A fault touches a region (every NodeBalancer in it) or a vantage (every
/// connection it opens); background noise touches everything, always.
/// </summary>
internal sealed record DetectionScenario
{
    public required string Name { get; init; }

    /// <summary>The region whose NodeBalancers misbehave, or null.</summary>
    public string? FaultRegion { get; init; }

    /// <summary>The vantage whose own network misbehaves, or null.</summary>
    public string? FaultVantage { get; init; }

    public int FaultStartMinute { get; init; }

    public int FaultEndMinute { get; init; }

    /// <summary>Share of new connections stalled past the probe's timeout while the fault lasts.</summary>
    public double StallShare { get; init; }

    /// <summary>Share of new connections reset while the fault lasts.</summary>
    public double ResetShare { get; init; }

    /// <summary>Age range at which forwarded connections are cut while the fault lasts, or null (never cut).</summary>
    public (TimeSpan Min, TimeSpan Max)? CutAfter { get; init; }

    /// <summary>Share of runs failing (timeout or reset, evenly) with no fault at all: the Internet's background.</summary>
    public double NoiseShare { get; init; } = 0.003;

    public bool HasFault => FaultRegion is not null || FaultVantage is not null;

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
        minute >= FaultStartMinute && minute < FaultEndMinute
        && (FaultRegion is null || FaultRegion == region)
        && (FaultVantage is null || FaultVantage == vantage);
}
