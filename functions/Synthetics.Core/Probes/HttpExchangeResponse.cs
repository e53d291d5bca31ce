namespace Synthetics.Probes;

/// <summary>What one GET of an <see cref="HttpExchange"/> returned.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="BodyBytes">Bytes of body read (at most the limit).</param>
/// <param name="Truncated">Whether the body went on past the limit.</param>
/// <param name="Text">The start of the body as text, when asked for.</param>
/// <param name="ContainsExpected">Whether the expected string was found, when one was given.</param>
/// <param name="TtfbMs">From the request on an open connection to the response headers.</param>
/// <param name="TransferMs">Reading the body.</param>
/// <param name="TotalMs">The whole request, including any connection set-up.</param>
internal sealed record HttpExchangeResponse(
    int StatusCode, long BodyBytes, bool Truncated, string? Text, bool? ContainsExpected, double TtfbMs, double TransferMs, double TotalMs);
