namespace Synthetics.Explain;

/// <summary>What one vantage point measured, minute by minute, per target.</summary>
/// <param name="Vantage">The vantage point.</param>
/// <param name="Minutes">Per minute and target, in time order.</param>
public sealed record VantageTimeline(string Vantage, IReadOnlyList<TimelineMinute> Minutes);
