namespace Synthetics.Lab.Telemetry;

/// <summary>An <c>AvailabilityData</c> item: what <c>TelemetryClient.TrackAvailability</c> sends.</summary>
public sealed record AvailabilityResult
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string RunLocation { get; init; }

    public required bool Success { get; init; }

    public required TimeSpan Duration { get; init; }

    public required string Message { get; init; }

    public required IReadOnlyDictionary<string, string> Properties { get; init; }

    public required IReadOnlyDictionary<string, double> Measurements { get; init; }

    public required TelemetryEnvelope Envelope { get; init; }
}
