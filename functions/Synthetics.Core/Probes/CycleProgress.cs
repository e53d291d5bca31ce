using System.Collections.Concurrent;
using Synthetics.Results;

namespace Synthetics.Probes;

/// <summary>
/// What a cycle's runs have measured so far, while the cycle is still going: the disruption sampler's samples that have
/// ended, as the result each run would store if it ended now (its <c>details.partial</c> true). A sampler holds for most
/// of the cycle; a fault that starts in it shows here seconds later, where the cycle's stored results show it only when
/// the cycle ends. Runs that report nothing until they end (every other probe) are not in it.
/// </summary>
public sealed class CycleProgress
{
    /// <summary>The <c>details</c> key that marks a result as a run's samples so far, not its end.</summary>
    public const string PartialDetail = "partial";

    private readonly ConcurrentDictionary<RunProgress, byte> _running = new();

    /// <summary>
    /// Whether the cycle is its process's first (<see cref="ProbeCycleReport.ColdStart"/>): it measures the runtime's own
    /// start as much as the targets, and what it has so far is judged by no one. Set when the cycle starts.
    /// </summary>
    public bool ColdStart { get; internal set; }

    /// <summary>
    /// Whether the process has stalled in this cycle so far (<see cref="ProbeCycleReport.Stalled"/>): its samples so far
    /// timed the monitor as much as the targets, and no one judges them.
    /// </summary>
    public bool Stalled => Stalls?.Stalled ?? false;

    internal StallWatch? Stalls { get; set; }

    /// <summary>
    /// The runs in progress as results, each with the samples that ended so far (runs with none are left out). The keys
    /// are those the run's final result will have, so a stored snapshot is replaced by the result when the cycle ends.
    /// </summary>
    public IReadOnlyList<ProbeResult> Snapshot() =>
        [.. _running.Keys.Select(run => run.Snapshot()).OfType<ProbeResult>().OrderBy(r => r.Target, StringComparer.Ordinal).ThenBy(r => r.Probe, StringComparer.Ordinal)];

    /// <summary>Whether <paramref name="result"/> is a run's samples so far rather than its end.</summary>
    public static bool IsPartial(ProbeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Details.TryGetValue(PartialDetail, out var value) && value is true;
    }

    internal RunProgress Start(Func<Func<ProbeContext, ProbeObservation>, ProbeResult?> toResult)
    {
        var run = new RunProgress(toResult);
        _running[run] = 0;
        return run;
    }

    internal void End(RunProgress run) => _running.TryRemove(run, out _);
}

/// <summary>
/// One run's way to say what it measured so far: a probe that holds for a period (the disruption sampler) reports how
/// to summarise its ended samples, and the cycle asks for that summary when it looks.
/// </summary>
internal sealed class RunProgress(Func<Func<ProbeContext, ProbeObservation>, ProbeResult?> toResult)
{
    private Func<ProbeContext, ProbeObservation>? _summary;

    /// <summary>Sets how the run's measurements so far become an observation, written into a fresh context.</summary>
    public void Report(Func<ProbeContext, ProbeObservation> summary) => Volatile.Write(ref _summary, summary);

    /// <summary>The run as a result now, or null when it has reported nothing yet.</summary>
    public ProbeResult? Snapshot() => Volatile.Read(ref _summary) is { } summary ? toResult(summary) : null;
}
