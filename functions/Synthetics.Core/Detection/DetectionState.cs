namespace Synthetics.Detection;

/// <summary>What detection remembers between evaluations: the tracked incidents and when it last evaluated.</summary>
public sealed record DetectionState(IReadOnlyList<Incident> Tracked, DateTimeOffset? LastEvaluatedAt)
{
    public static DetectionState Empty { get; } = new([], null);
}
