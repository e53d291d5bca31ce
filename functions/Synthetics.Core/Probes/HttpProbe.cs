using Synthetics.Results;
using Synthetics.Targets;

namespace Synthetics.Probes;

/// <summary>
/// A GET of an Http target's URL on a fresh connection, every phase timed: dns, connect, tls, time to first byte,
/// transfer. The body is read up to <see cref="ProbingOptions.MaxBodyBytes"/>, never further.
/// </summary>
internal sealed class HttpProbe : IProbe
{
    public string Name => "http";

    public bool AppliesTo(TargetKind kind, TargetEndpoint endpoint) => kind == TargetKind.Http;

    public async ValueTask<ProbeObservation> RunAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        var expectation = context.Target.Http
            ?? throw new InvalidOperationException($"Target '{context.Target.Name}' has no HTTP expectation.");
        using var exchange = new HttpExchange(context, cancellationToken);
        var response = await exchange.GetAsync(
            expectation.Url.PathAndQuery,
            headers: null,
            context.Options.MaxBodyBytes,
            keepTextBytes: 0,
            expectation.ExpectBodyContains,
            cancellationToken);

        context.SetDetail("bodyBytes", response.BodyBytes);
        if (response.Truncated)
        {
            context.SetDetail("bodyTruncated", true);
        }

        if (response.StatusCode != expectation.ExpectStatus)
        {
            return new ProbeObservation(ProbeOutcome.HttpStatus)
            {
                StatusCode = response.StatusCode,
                Message = $"status {response.StatusCode}, expected {expectation.ExpectStatus}",
            };
        }

        if (response.ContainsExpected == false)
        {
            return new ProbeObservation(ProbeOutcome.UnexpectedBody)
            {
                StatusCode = response.StatusCode,
                Message = response.Truncated
                    ? $"expected text not found in the first {context.Options.MaxBodyBytes} bytes"
                    : "expected text not found in the body",
            };
        }

        var expiring = CertificateExpiry.Check(context);
        return (expiring ?? ProbeObservation.Ok) with { StatusCode = response.StatusCode };
    }
}
