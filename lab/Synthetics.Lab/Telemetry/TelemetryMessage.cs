namespace Synthetics.Lab.Telemetry;

/// <summary>A <c>MessageData</c> item: a trace or log record.</summary>
public sealed record TelemetryMessage
{
    public required string Message { get; init; }

    /// <summary><c>Verbose</c>, <c>Information</c>, <c>Warning</c>, <c>Error</c>, <c>Critical</c>, or null when absent.</summary>
    public string? SeverityLevel { get; init; }

    public required IReadOnlyDictionary<string, string> Properties { get; init; }

    public required TelemetryEnvelope Envelope { get; init; }
}
