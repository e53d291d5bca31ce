using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Synthetics.Results;

/// <summary>The JSON form of a result: one object per line, as <c>result.schema.json</c> describes (contract).</summary>
public static class ProbeResultJson
{
    /// <summary>Options that write the contract's shape: camelCase, nulls left out, outcomes as snake_case names.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    /// <summary>Serialises one result as a single line of JSON.</summary>
    public static string Serialize(ProbeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var line = new JsonLine(
            result.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            result.Vantage,
            result.Target,
            result.TargetKind,
            result.Probe,
            result.Region,
            result.Success,
            result.Outcome,
            Math.Round(result.DurationMs, 3),
            result.Phases == ProbePhases.None ? null : result.Phases with
            {
                DnsMs = Round(result.Phases.DnsMs),
                ConnectMs = Round(result.Phases.ConnectMs),
                TlsMs = Round(result.Phases.TlsMs),
                TtfbMs = Round(result.Phases.TtfbMs),
                TransferMs = Round(result.Phases.TransferMs),
            },
            result.StatusCode,
            result.RemoteAddress,
            result.Message,
            result.Details.Count == 0 ? null : result.Details);
        return JsonSerializer.Serialize(line, Options);
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;

    private sealed record JsonLine(
        string Timestamp,
        string Vantage,
        string Target,
        string TargetKind,
        string Probe,
        string Region,
        bool Success,
        ProbeOutcome Outcome,
        double DurationMs,
        ProbePhases? Phases,
        int? StatusCode,
        string? RemoteAddress,
        string? Message,
        IReadOnlyDictionary<string, object>? Details);
}
