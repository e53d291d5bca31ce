namespace Synthetics.Detection;

/// <summary>What detection remembers between evaluations.</summary>
/// <param name="Tracked">Incidents open, and candidates not yet open.</param>
/// <param name="LastEvaluatedAt">When the last evaluation that judged anything ran.</param>
/// <param name="JudgedThrough">Per vantage, the start of the newest cycle an evaluation has judged: the next evaluation
/// judges that vantage's cycles after it, so every stored cycle is judged exactly once, however late it was stored.</param>
public sealed record DetectionState(IReadOnlyList<Incident> Tracked, DateTimeOffset? LastEvaluatedAt, IReadOnlyDictionary<string, DateTimeOffset> JudgedThrough)
{
    public static DetectionState Empty { get; } = new([], null, new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal));
}
