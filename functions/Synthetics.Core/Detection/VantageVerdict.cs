using Synthetics.Results;

namespace Synthetics.Detection;

/// <summary>The verdict for one target seen from one vantage point over one window.</summary>
/// <param name="Target">The target's name.</param>
/// <param name="Region">The target's region.</param>
/// <param name="Vantage">The vantage point.</param>
/// <param name="State">The verdict.</param>
/// <param name="Runs">Probe runs in the window.</param>
/// <param name="Failures">Failed runs in the window.</param>
/// <param name="Outcomes">Failed runs by outcome.</param>
/// <param name="SlowProbes">Probes whose latency is over their baseline, with p90 and baseline in ms.</param>
public sealed record VantageVerdict(
    string Target,
    string Region,
    string Vantage,
    HealthState State,
    int Runs,
    int Failures,
    IReadOnlyDictionary<ProbeOutcome, int> Outcomes,
    IReadOnlyList<LatencyExcess> SlowProbes)
{
    public bool IsBad => State is HealthState.Degraded or HealthState.Down;

    public double FailureRatio => Runs == 0 ? 0 : (double)Failures / Runs;
}
