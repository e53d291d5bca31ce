namespace Synthetics.Lab.Kubernetes;

/// <summary>
/// A change in a <see cref="BystanderController"/>'s leadership: it started leading (<see cref="IsLost"/> false) or
/// stopped (true), at <see cref="At"/> on the region's clock, as <see cref="Identity"/>; a loss says why.
/// </summary>
public sealed record BystanderLeaseEvent(DateTimeOffset At, bool IsLost, string Identity, string? Reason)
{
    /// <summary>How long the identity had led when it lost, or null for an acquisition.</summary>
    public TimeSpan? LedFor { get; init; }
}
