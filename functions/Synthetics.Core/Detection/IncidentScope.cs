using System.Text.Json.Serialization;

namespace Synthetics.Detection;

/// <summary>Where a problem lies, which decides who is told.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IncidentScope>))]
public enum IncidentScope
{
    /// <summary>One target, seen bad from several vantage points: the provider's side.</summary>
    [JsonStringEnumMemberName("target")] Target,

    /// <summary>Several targets of one region, seen bad from several vantage points: one alert, not one per target.</summary>
    [JsonStringEnumMemberName("region")] Region,

    /// <summary>One vantage point alone sees a problem, or stopped reporting: our side, reported as vantage health, no page.</summary>
    [JsonStringEnumMemberName("vantage")] Vantage,
}
