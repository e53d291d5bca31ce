using Synthetics.Targets;

namespace Synthetics.Probes;

/// <summary>
/// Measures one aspect of a target. A probe does the happy path and lets the socket, TLS and HTTP layers'
/// exceptions escape: the cycle runner classifies them with the phase they happened in, so every probe reports
/// failures the same way. A probe returns an observation (never throws) for answers that are wrong but well-formed:
/// an unexpected status, failing health checks.
/// </summary>
public interface IProbe
{
    /// <summary>The name in results: <c>dns</c>, <c>tcp</c>, <c>tls</c>, <c>http</c>, <c>kube-health</c>, …</summary>
    string Name { get; }

    /// <summary>Whether this probe measures something for a target of this kind at this endpoint.</summary>
    bool AppliesTo(TargetKind kind, TargetEndpoint endpoint);

    /// <summary>
    /// The hard timeout of one run against <paramref name="target"/>. Default <see cref="Target.Timeout"/>; a probe that
    /// holds something open for a period (a leader election, a watch) needs that period plus a margin instead.
    /// </summary>
    TimeSpan TimeoutFor(Target target) => target.Timeout;

    /// <summary>
    /// The hard timeout of one run against <paramref name="target"/> under the cycle's <paramref name="options"/>, for a
    /// probe whose hold period is a setting (the disruption sampler). Default <see cref="TimeoutFor(Target)"/>.
    /// </summary>
    TimeSpan TimeoutFor(Target target, ProbingOptions options) => TimeoutFor(target);

    /// <summary>Whether the cycle's <paramref name="options"/> switch this probe on. Default true.</summary>
    bool IsEnabled(ProbingOptions options) => true;

    /// <summary>
    /// Whether a run takes one of the cycle's <see cref="ProbingOptions.MaxConcurrency"/> places. Default true. A probe that
    /// holds for the cycle doing a little work now and then (the sampler) stays outside it, or held runs would starve the
    /// one-shot probes queued behind them.
    /// </summary>
    bool TakesConcurrencySlot => true;

    /// <summary>
    /// A successful run slower than this is <c>slow</c>. Default <see cref="Target.SlowThreshold"/>; null when the run's
    /// duration is set by the probe itself (a hold period) and the probe judges slowness from what it measured.
    /// </summary>
    TimeSpan? SlowThresholdFor(Target target) => target.SlowThreshold;

    /// <summary>Runs once. <paramref name="cancellationToken"/> fires at the probe's timeout or when the host stops.</summary>
    ValueTask<ProbeObservation> RunAsync(ProbeContext context, CancellationToken cancellationToken);
}
