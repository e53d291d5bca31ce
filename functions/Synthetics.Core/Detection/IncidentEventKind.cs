using System.Text.Json.Serialization;

namespace Synthetics.Detection;

/// <summary>What happened to an incident in one evaluation.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IncidentEventKind>))]
public enum IncidentEventKind
{
    [JsonStringEnumMemberName("opened")] Opened,
    [JsonStringEnumMemberName("updated")] Updated,
    [JsonStringEnumMemberName("resolved")] Resolved,
}
