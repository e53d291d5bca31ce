using Synthetics.Targets;

namespace Synthetics.Probes.Sampling;

/// <summary>
/// What the two sampler probes share: a run holds for the sampling period (<see cref="SamplingOptions.PeriodSeconds"/>)
/// like the lease canary holds its Lease, so the runner's planning, budget, storage and telemetry serve it as any probe;
/// its timeout is the period plus the target's timeout, and slowness is judged per sample, not from the held run.
/// </summary>
internal abstract class DisruptionProbe : IProbe
{
    private readonly SamplingOptions? _fixed;

    /// <param name="fixedSettings">Settings used instead of the cycle's (the warm-up's short sampler); null: the cycle's.</param>
    protected DisruptionProbe(SamplingOptions? fixedSettings) => _fixed = fixedSettings;

    public abstract string Name { get; }

    private protected abstract DisruptionSeries Series { get; }

    public abstract bool AppliesTo(TargetKind kind, TargetEndpoint endpoint);

    /// <summary>The sampler with these settings whatever the cycle's (the warm-up, <c>probe --once</c>).</summary>
    public abstract DisruptionProbe With(SamplingOptions settings);

    public TimeSpan TimeoutFor(Target target, ProbingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = Settings(options);
        return DisruptionSampler.PeriodFor(target, settings, options) + target.Timeout;
    }

    public TimeSpan? SlowThresholdFor(Target target) => null;

    public bool IsEnabled(ProbingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Settings(options).Samples(DisruptionSummary.SeriesName(Series));
    }

    public bool TakesConcurrencySlot => false;

    public ValueTask<ProbeObservation> RunAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = Settings(context.Options);
        var sampler = new DisruptionSampler(context, Series, settings);
        context.SetDetail("series", DisruptionSummary.SeriesName(Series));
        return sampler.RunAsync(DisruptionSampler.PeriodFor(context.Target, settings, context.Options), cancellationToken);
    }

    private SamplingOptions Settings(ProbingOptions options) => _fixed ?? options.Sampling;
}
