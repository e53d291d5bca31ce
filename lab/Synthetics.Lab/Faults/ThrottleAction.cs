using System.Text.Json.Serialization;

namespace Synthetics.Lab.Faults;

/// <summary>What a NodeBalancer does with a new connection above <see cref="FaultPlan.NewConnectionsPerSecondPerClient"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ThrottleAction>))]
public enum ThrottleAction
{
    /// <summary>Accept, then reset (RST) at once.</summary>
    [JsonStringEnumMemberName("reset")]
    Reset,

    /// <summary>Hold the connection until the bucket has a token again, then forward it.</summary>
    [JsonStringEnumMemberName("delay")]
    Delay,
}
