namespace Synthetics.Lab.Telemetry;

/// <summary>An <c>EventData</c> item: what <c>TelemetryClient.TrackEvent</c> sends.</summary>
public sealed record TelemetryEvent
{
    public required string Name { get; init; }

    public required IReadOnlyDictionary<string, string> Properties { get; init; }

    public required IReadOnlyDictionary<string, double> Measurements { get; init; }

    public required TelemetryEnvelope Envelope { get; init; }
}
