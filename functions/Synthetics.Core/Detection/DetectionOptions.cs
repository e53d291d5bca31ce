namespace Synthetics.Detection;

/// <summary>How results become verdicts and incidents: the <c>Synthetics:Detection</c> section. Every interval and threshold is here.</summary>
public sealed class DetectionOptions
{
    /// <summary>
    /// How much of each vantage's recent probing one evaluation weighs: its cycles that started within this span before
    /// its newest stored one. An evaluation runs when new cycles are stored, and counts toward an incident only through
    /// runs no earlier evaluation judged, so the window can be longer than the evaluation interval without one bad cycle
    /// counting twice. Default three minutes: three cycles per vantage at the shipped one-minute cadence.
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// History before the window that latency baselines come from. Default ten minutes: the evaluator reads window and
    /// baseline in one query every evaluation, so this is what each evaluation costs in reads. A cycle stored later than
    /// this after it started is too old to judge: it is counted as late in the evaluation's report instead.
    /// </summary>
    public TimeSpan BaselineWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A vantage whose newest stored cycle started longer ago than this has stopped producing: its targets get no-data
    /// verdicts, which is vantage health (the monitor's own problem), not the provider's. Default three minutes: a cycle
    /// that is merely slow (a minute-long cycle, a table service answering late) is stored well before.
    /// </summary>
    public TimeSpan SilentAfter { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// At least this share of bad runs (and <see cref="MinFailures"/>) makes a target × vantage degraded, and a target's
    /// runs pooled over every vantage a provider-side problem. Default 0.03: one failure in about thirty runs, where a
    /// healthy control plane fails far less than one in a thousand.
    /// </summary>
    public double DegradedFailureRatio { get; set; } = 0.03;

    /// <summary>
    /// At least this many bad runs in the window before a target × vantage, or a target over all vantages, is degraded:
    /// one blip is not a trend. Default 3: a control plane probed from three vantages has about sixty runs in a
    /// three-minute window, where background noise of 0.3% gives three failures about once in a thousand windows.
    /// </summary>
    public int MinFailures { get; set; } = 3;

    /// <summary>A target × vantage with at least this share of failed runs is down. Default 0.9.</summary>
    public double DownFailureRatio { get; set; } = 0.9;

    /// <summary>
    /// Share of a view's runs (a target from a vantage, over the window) that must be slow, with at least
    /// <see cref="MinFailures"/> of them, for the view to count as slow. Default 0.5: a provider's slowdown slows most of a
    /// control plane's connections (connect, TLS, health, API); the noise of a path or a host slows a few.
    /// </summary>
    public double SlowRunShare { get; set; } = 0.5;

    /// <summary>A successful run slower than its probe's baseline median by this factor (and <see cref="LatencyFloorMs"/>) counts as bad. Default 3.</summary>
    public double LatencyFactor { get; set; } = 3;

    /// <summary>Latency must also exceed the baseline by this many milliseconds, so fast targets do not page on noise. Default 200.</summary>
    public double LatencyFloorMs { get; set; } = 200;

    /// <summary>Runs a probe needs in the baseline (per vantage) before its latency is judged. Default 5.</summary>
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
