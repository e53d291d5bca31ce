using System.Globalization;
using System.Text.Json;

namespace Synthetics.Lab.Telemetry;

/// <summary>
/// Reads one line of an ingestion body (Application Insights envelope, schema "v2") into a
/// <see cref="TelemetryEnvelope"/>, and the well-known base types into their typed records.
/// Lenient where the service is: missing optional fields become empty, not errors.
/// </summary>
internal static class EnvelopeDecoder
{
    /// <summary>Returns null when the line is not a JSON object with <c>name</c>, <c>time</c> and <c>data</c>.</summary>
    public static TelemetryEnvelope? TryDecode(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("time", out var time) || !time.TryGetDateTimeOffset(out var timestamp)
                || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return new TelemetryEnvelope
            {
                Name = name.GetString()!,
                InstrumentationKey = String(root, "iKey"),
                Time = timestamp,
                SampleRate = root.TryGetProperty("sampleRate", out var rate) && rate.ValueKind == JsonValueKind.Number && rate.TryGetDouble(out var r) ? r : null,
                Tags = Strings(root, "tags"),
                BaseType = String(data, "baseType"),
                BaseData = data.TryGetProperty("baseData", out var baseData) ? baseData.Clone() : default,
                Json = line,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static AvailabilityResult Availability(TelemetryEnvelope envelope)
    {
        var data = envelope.BaseData;
        return new AvailabilityResult
        {
            Id = String(data, "id"),
            Name = String(data, "name"),
            RunLocation = String(data, "runLocation"),
            Success = data.TryGetProperty("success", out var success) && success.ValueKind == JsonValueKind.True,
            Duration = TimeSpan.TryParse(String(data, "duration"), CultureInfo.InvariantCulture, out var duration) ? duration : TimeSpan.Zero,
            Message = String(data, "message"),
            Properties = Strings(data, "properties"),
            Measurements = Numbers(data, "measurements"),
            Envelope = envelope,
        };
    }

    public static TelemetryEvent Event(TelemetryEnvelope envelope) => new()
    {
        Name = String(envelope.BaseData, "name"),
        Properties = Strings(envelope.BaseData, "properties"),
        Measurements = Numbers(envelope.BaseData, "measurements"),
        Envelope = envelope,
    };

    public static TelemetryMessage Message(TelemetryEnvelope envelope) => new()
    {
        Message = String(envelope.BaseData, "message"),
        SeverityLevel = envelope.BaseData.ValueKind == JsonValueKind.Object
            && envelope.BaseData.TryGetProperty("severityLevel", out var level)
            ? level.ToString()
            : null,
        Properties = Strings(envelope.BaseData, "properties"),
        Envelope = envelope,
    };

    private static string String(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty(property, out var value)
        && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()
            : "";

    private static Dictionary<string, string> Strings(JsonElement element, string property)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element.ValueKind == JsonValueKind.Object
            && element.TryGetProperty(property, out var map)
            && map.ValueKind == JsonValueKind.Object)
        {
            // The exporter writes absent tags as null (e.g. "ai.application.ver": null); absent is what they mean.
            foreach (var pair in map.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null))
            {
                result[pair.Name] = pair.Value.ValueKind == JsonValueKind.String ? pair.Value.GetString()! : pair.Value.GetRawText();
            }
        }

        return result;
    }

    private static Dictionary<string, double> Numbers(JsonElement element, string property)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (element.ValueKind == JsonValueKind.Object
            && element.TryGetProperty(property, out var map)
            && map.ValueKind == JsonValueKind.Object)
        {
            foreach (var pair in map.EnumerateObject())
            {
                if (pair.Value.ValueKind == JsonValueKind.Number && pair.Value.TryGetDouble(out var number))
                {
                    result[pair.Name] = number;
                }
            }
        }

        return result;
    }
}
