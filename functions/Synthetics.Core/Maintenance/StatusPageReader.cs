using System.Globalization;
using System.Text.Json;

namespace Synthetics.Maintenance;

/// <summary>
/// Reads Statuspage v2 JSON (what status.linode.com serves) into maintenance windows. Tolerant of what a real page
/// omits; an answer that is not such JSON is an error with a reason, not an exception escaping to the caller.
/// </summary>
public static class StatusPageReader
{
    /// <summary>
    /// The <c>scheduled_maintenances</c> of a <c>summary.json</c>, <c>scheduled-maintenances.json</c>, <c>upcoming.json</c>
    /// or <c>active.json</c>.
    /// </summary>
    /// <exception cref="FormatException">The text is not a Statuspage document.</exception>
    public static IReadOnlyList<MaintenanceWindow> ReadMaintenances(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("scheduled_maintenances", out var list)
                || list.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("not a Statuspage document: no scheduled_maintenances array");
            }

            return [.. list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).Select(ReadOne)];
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not JSON (line {ex.LineNumber + 1})", ex);
        }
    }

    private static MaintenanceWindow ReadOne(JsonElement element)
    {
        var components = element.TryGetProperty("components", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(c => String(c, "name")).OfType<string>().Select(ProviderComponent.Parse).ToList()
            : [];
        return new MaintenanceWindow
        {
            Id = String(element, "id") ?? "",
            Name = String(element, "name") ?? "(unnamed maintenance)",
            Status = String(element, "status") ?? "scheduled",
            ScheduledFor = Time(element, "scheduled_for"),
            ScheduledUntil = Time(element, "scheduled_until"),
            ResolvedAt = Time(element, "resolved_at"),
            AnnouncedAt = Time(element, "created_at"),
            Components = components,
            Shortlink = String(element, "shortlink"),
        };
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        String(element, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value.ToUniversalTime()
            : null;
}
