using Synthetics.Targets;

namespace Synthetics.Probes;

/// <summary>Opens a TCP connection and closes it: connect time, refusals and stalls at the NodeBalancer.</summary>
internal sealed class TcpProbe : IProbe
{
    public string Name => "tcp";

    public bool AppliesTo(TargetKind kind, TargetEndpoint endpoint) => true;

    public async ValueTask<ProbeObservation> RunAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        using var socket = await NetworkConnector.ConnectAsync(context, cancellationToken);
        return ProbeObservation.Ok;
    }
}
