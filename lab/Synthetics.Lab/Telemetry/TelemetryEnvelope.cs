using System.Text.Json;

namespace Synthetics.Lab.Telemetry;

/// <summary>One envelope as it arrived at the ingestion endpoint (one line of the posted body).</summary>
public sealed record TelemetryEnvelope
{
    /// <summary>The envelope name, e.g. <c>Microsoft.ApplicationInsights.Event</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The instrumentation key from the connection string (<c>iKey</c>).</summary>
    public required string InstrumentationKey { get; init; }

    /// <summary>When the item happened, as the client stamped it.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>Sampling percentage the client applied (100 = not sampled), or null when absent.</summary>
    public double? SampleRate { get; init; }

    /// <summary>Context tags such as <c>ai.cloud.role</c>, <c>ai.operation.id</c>, <c>ai.internal.sdkVersion</c>.</summary>
    public required IReadOnlyDictionary<string, string> Tags { get; init; }

    /// <summary><c>AvailabilityData</c>, <c>EventData</c>, <c>MessageData</c>, <c>RequestData</c>, <c>RemoteDependencyData</c>, <c>ExceptionData</c>, <c>MetricData</c>…</summary>
    public required string BaseType { get; init; }

    /// <summary>The <c>data.baseData</c> object, detached from the request.</summary>
    public required JsonElement BaseData { get; init; }

    /// <summary>The envelope line exactly as received.</summary>
    public required string Json { get; init; }
}
