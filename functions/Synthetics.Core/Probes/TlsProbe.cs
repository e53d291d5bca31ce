using Synthetics.Targets;

namespace Synthetics.Probes;

/// <summary>
/// Connects and completes a TLS handshake, verified against the target's CA: handshake time, protocol,
/// certificate subject, issuer, expiry. A certificate close to expiry is <c>cert_expiring</c>.
/// </summary>
internal sealed class TlsProbe : IProbe
{
    public string Name => "tls";

    public bool AppliesTo(TargetKind kind, TargetEndpoint endpoint) => endpoint.UseTls;

    public async ValueTask<ProbeObservation> RunAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        using var socket = await NetworkConnector.ConnectAsync(context, cancellationToken);
        await using var ssl = await NetworkConnector.AuthenticateAsync(
            context, new System.Net.Sockets.NetworkStream(socket, ownsSocket: false), alpn: null, cancellationToken);
        return CertificateExpiry.Check(context) ?? ProbeObservation.Ok;
    }
}
