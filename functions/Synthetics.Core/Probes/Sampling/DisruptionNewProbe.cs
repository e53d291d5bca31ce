using Synthetics.Targets;

namespace Synthetics.Probes.Sampling;

/// <summary>
/// <c>disruption-new</c>: a request a second on a fresh connection through the cycle, for control planes (<c>/readyz</c>
/// with the kubeconfig's token, TLS verified against the cluster CA) and NodeBalancers (an Http target's own URL and
/// expectations; the connect alone for a Tcp target). New connections are what a NodeBalancer change breaks first.
/// </summary>
internal sealed class DisruptionNewProbe(SamplingOptions? fixedSettings) : DisruptionProbe(fixedSettings)
{
    public DisruptionNewProbe()
        : this(null)
    {
    }

    public override string Name => "disruption-new";

    private protected override DisruptionSeries Series => DisruptionSeries.New;

    public override bool AppliesTo(TargetKind kind, TargetEndpoint endpoint) => true;

    public override DisruptionProbe With(SamplingOptions settings) => new DisruptionNewProbe(settings);
}
