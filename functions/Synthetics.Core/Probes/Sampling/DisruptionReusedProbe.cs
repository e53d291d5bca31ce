using Synthetics.Targets;

namespace Synthetics.Probes.Sampling;

/// <summary>
/// <c>disruption-reused</c>: a request a second on a connection kept alive through the cycle, the path an established
/// client (a kubelet, a controller's watch) rides. Not for a TCP port: there is no request to send on it.
/// </summary>
internal sealed class DisruptionReusedProbe(SamplingOptions? fixedSettings) : DisruptionProbe(fixedSettings)
{
    public DisruptionReusedProbe()
        : this(null)
    {
    }

    public override string Name => "disruption-reused";

    private protected override DisruptionSeries Series => DisruptionSeries.Reused;

    public override bool AppliesTo(TargetKind kind, TargetEndpoint endpoint) => kind is TargetKind.Http or TargetKind.KubernetesApi;

    public override DisruptionProbe With(SamplingOptions settings) => new DisruptionReusedProbe(settings);
}
