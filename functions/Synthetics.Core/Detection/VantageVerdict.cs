using Synthetics.Results;

namespace Synthetics.Detection;

/// <summary>The verdict for one target seen from one vantage point over one window.</summary>
/// <param name="Target">The target's name.</param>
/// <param name="Region">The target's region.</param>
/// <param name="Vantage">The vantage point.</param>
/// <param name="State">The verdict.</param>
/// <param name="Runs">Probe runs (results) in the window: what slowness is judged on.</param>
/// <param name="Attempts">Requests in the window: a probe run is one, a disruption sampler's run is its samples. What
/// failures are counted against.</param>
/// <param name="FailedAttempts">Requests that failed (any outcome but <c>ok</c>, <c>slow</c> and <c>cert_expiring</c>).</param>
/// <param name="SlowRuns">Successful runs that were <c>slow</c>, or slower than their probe's usual from this vantage.</param>
/// <param name="Outcomes">Failed requests by outcome, and slow runs as <c>slow</c>.</param>
/// <param name="SlowProbes">Probes with runs over their baseline, with p90 and baseline median in ms.</param>
/// <param name="FreshFailures">Failed requests and slow runs that no earlier evaluation judged: an evaluation counts
/// toward an incident only with new evidence, so one bad cycle inside a sliding window is one observation.</param>
public sealed record VantageVerdict(
    string Target,
    string Region,
    string Vantage,
    HealthState State,
    int Runs,
    int Attempts,
    int FailedAttempts,
    int SlowRuns,
    IReadOnlyDictionary<ProbeOutcome, int> Outcomes,
    IReadOnlyList<LatencyExcess> SlowProbes,
    int FreshFailures)
{
    /// <summary>
    /// Requests on new connections (every probe run, and the disruption sampler's <c>new</c> series) with the target's
    /// usual failure rate for them: what a NodeBalancer change breaks first, counted apart so that requests on kept
    /// connections do not dilute it.
    /// </summary>
    public ConnectionSeries NewConnections { get; init; } = ConnectionSeries.None;

    /// <summary>Requests on kept-alive connections (the sampler's <c>reused</c> series), with their usual failure rate.</summary>
    public ConnectionSeries KeptConnections { get; init; } = ConnectionSeries.None;

    /// <summary>
    /// Slow runs the window would have if it were like the baseline: per run, the share of its probe's baseline runs that
    /// were over the same bar. A target with a steady long tail expects many; a change is slow runs well beyond it.
    /// </summary>
    public double ExpectedSlowRuns { get; init; }

    /// <summary>Whether the pair had at least one failed request or slow run in the window, whatever its state.</summary>
    public bool HasFailures => FailedAttempts > 0 || SlowRuns > 0;

    /// <summary>Failed requests and slow runs: what the one-line summaries count.</summary>
    public int Failures => FailedAttempts + SlowRuns;

    public bool IsBad => State is HealthState.Degraded or HealthState.Down;
}

/// <summary>One kind of connection's requests over the window and the long window, and the target's usual failure rate for it.</summary>
/// <param name="InWindow">Requests and failures in the window.</param>
/// <param name="OverLongWindow">Requests and failures over <see cref="DetectionOptions.LongWindow"/>: where a thin fault adds up.</param>
/// <param name="UsualRate">The target's own failure rate before the long window, pooled over its vantages but the
/// worst and tempered by <see cref="DetectionOptions.PriorFailureRate"/>: what "normal" is for this target.</param>
public sealed record ConnectionSeries(AttemptCount InWindow, AttemptCount OverLongWindow, double UsualRate)
{
    public static ConnectionSeries None { get; } = new(AttemptCount.None, AttemptCount.None, 0);

    /// <summary>
    /// Whether the target's results from the vantage reach back over the whole <see cref="DetectionOptions.LongWindow"/>.
    /// Until they do (a first evaluation, a new target) the long window is little more than the window, and judged as a
    /// long window it would open an incident at once on one cycle; such a view stays out of the long window's tests.
    /// </summary>
    public bool HasLongWindow { get; init; }

    /// <summary>
    /// The view's own requests before the long window (this target from this vantage, outside any open incident of its
    /// region): what the long window is compared with, as a count, so the test knows how sure the usual rate is.
    /// </summary>
    public AttemptCount Usual { get; init; }
}

/// <summary>Requests and how many of them failed.</summary>
public readonly record struct AttemptCount(int Attempts, int Failed)
{
    public static AttemptCount None { get; } = new(0, 0);

    public double Ratio => Attempts == 0 ? 0 : (double)Failed / Attempts;

    public static AttemptCount operator +(AttemptCount a, AttemptCount b) => new(a.Attempts + b.Attempts, a.Failed + b.Failed);

    public static AttemptCount operator -(AttemptCount a, AttemptCount b) => new(a.Attempts - b.Attempts, a.Failed - b.Failed);
}
