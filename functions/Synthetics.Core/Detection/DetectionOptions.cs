namespace Synthetics.Detection;

/// <summary>How results become verdicts and incidents: the <c>Synthetics:Detection</c> section. Every interval and threshold is here.</summary>
public sealed class DetectionOptions
{
    /// <summary>The sliding window each evaluation looks at. Default one minute.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// History before the window that latency baselines come from. Default ten minutes: the evaluator reads window and
    /// baseline in one query every evaluation, so this is what each evaluation costs in reads.
    /// </summary>
    public TimeSpan BaselineWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The window ends this long before the evaluation, so results of cycles still running or still being written are
    /// in it next time rather than missing now. Default 10 s.
    /// </summary>
    public TimeSpan Settle { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A target × vantage with at least this share of failed runs (and <see cref="MinFailures"/>) is degraded. Default 0.05.</summary>
    public double DegradedFailureRatio { get; set; } = 0.05;

    /// <summary>At least this many failures in the window before a target × vantage is degraded: one blip is not a trend. Default 2.</summary>
    public int MinFailures { get; set; } = 2;

    /// <summary>A target × vantage with at least this share of failed runs is down. Default 0.9.</summary>
    public double DownFailureRatio { get; set; } = 0.9;

    /// <summary>A probe whose p90 latency exceeds its baseline median by this factor (and <see cref="LatencyFloorMs"/>) is degraded. Default 3.</summary>
    public double LatencyFactor { get; set; } = 3;

    /// <summary>Latency must also exceed the baseline by this many milliseconds, so fast targets do not page on noise. Default 200.</summary>
    public double LatencyFloorMs { get; set; } = 200;

    /// <summary>Runs a probe needs in the window (and in the baseline) before its latency is judged. Default 5.</summary>
    public int MinRunsForLatency { get; set; } = 5;

    /// <summary>Vantage points that must agree before a target's problem is the provider's. Default 2.</summary>
    public int MinAgreeingVantages { get; set; } = 2;

    /// <summary>
    /// Targets of one region with provider-side problems that make one regional incident: one agreed on by
    /// <see cref="MinAgreeingVantages"/>, the others at least failing from as many vantages (a fleet change shows thinly on
    /// a target with few probes). Default 2.
    /// </summary>
    public int RegionMinTargets { get; set; } = 2;

    /// <summary>Consecutive bad evaluations before an incident opens. Default 2.</summary>
    public int OpenAfter { get; set; } = 2;

    /// <summary>Consecutive good evaluations before an incident resolves. Default 3.</summary>
    public int ResolveAfter { get; set; } = 3;
}
