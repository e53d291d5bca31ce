namespace Synthetics.Lab.Telemetry;

/// <summary>One POST the receiver answered, for checking a client's batching and retries.</summary>
public sealed record IngestionPost
{
    /// <summary>The request path, <c>/v2.1/track</c> or <c>/v2/track</c>.</summary>
    public required string Path { get; init; }

    /// <summary>The <c>Content-Encoding</c> header (<c>gzip</c>), or null.</summary>
    public string? ContentEncoding { get; init; }

    /// <summary>Envelope lines in the body.</summary>
    public required int ItemsReceived { get; init; }

    /// <summary>Envelopes kept.</summary>
    public required int ItemsAccepted { get; init; }

    /// <summary>The status code answered.</summary>
    public required int StatusCode { get; init; }

    /// <summary>When the receiver answered, from its <see cref="TimeProvider"/>.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }
}
