using Synthetics.Results;

namespace Synthetics.Detection;

/// <summary>The verdict for one target seen from one vantage point over one window.</summary>
/// <param name="Target">The target's name.</param>
/// <param name="Region">The target's region.</param>
/// <param name="Vantage">The vantage point.</param>
/// <param name="State">The verdict.</param>
/// <param name="Runs">Probe runs in the window.</param>
/// <param name="Failures">Bad runs in the window: failed, <c>slow</c>, or slower than their baseline.</param>
/// <param name="Outcomes">Failed and <c>slow</c> runs by outcome.</param>
/// <param name="SlowProbes">Probes with runs over their baseline, with p90 and baseline median in ms.</param>
/// <param name="FreshFailures">Of <paramref name="Failures"/>, the runs no earlier evaluation judged: an evaluation
/// counts toward an incident only with new evidence, so one bad cycle inside a sliding window is one observation.</param>
public sealed record VantageVerdict(
    string Target,
    string Region,
    string Vantage,
    HealthState State,
    int Runs,
    int Failures,
    IReadOnlyDictionary<ProbeOutcome, int> Outcomes,
    IReadOnlyList<LatencyExcess> SlowProbes,
    int FreshFailures)
{
    /// <summary>Whether the pair had at least one bad run in the window, whatever its state.</summary>
    public bool HasFailures => Failures > 0;

    /// <summary>Bad runs that failed (any outcome but <c>ok</c> and <c>slow</c>).</summary>
    public int FailedRuns => Outcomes.Where(o => !o.Key.IsSuccess()).Sum(o => o.Value);

    /// <summary>Bad runs that succeeded slowly: the <c>slow</c> outcome, or slower than their baseline.</summary>
    public int SlowRuns => Failures - FailedRuns;

    public bool IsBad => State is HealthState.Degraded or HealthState.Down;

    public double FailureRatio => Runs == 0 ? 0 : (double)Failures / Runs;
}
