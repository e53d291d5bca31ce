using System.Text.Encodings.Web;
using System.Text.Json;

namespace Synthetics.Explain;

/// <summary>The whole report as JSON (camelCase, times in ISO 8601 UTC): every failed attempt, every minute.</summary>
public static class EvidenceJson
{
    /// <summary>
    /// The serializer's settings. Encoding stays the default (HTML-sensitive characters escaped), so the JSON is safe to
    /// embed or to open in a browser whatever a target's messages hold.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.Default,
    };

    public static string Render(EvidenceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(report, Options);
    }
}
