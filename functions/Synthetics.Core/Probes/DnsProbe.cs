using Synthetics.Targets;

namespace Synthetics.Probes;

/// <summary>Resolves the target's host name. Not run for targets given by address: there is nothing to resolve.</summary>
internal sealed class DnsProbe : IProbe
{
    public string Name => "dns";

    public bool AppliesTo(TargetKind kind, TargetEndpoint endpoint) => !endpoint.IsAddress;

    public async ValueTask<ProbeObservation> RunAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        var addresses = await NetworkConnector.ResolveAsync(context, cancellationToken);
        context.RemoteAddress = addresses[0].ToString();
        return ProbeObservation.Ok;
    }
}
