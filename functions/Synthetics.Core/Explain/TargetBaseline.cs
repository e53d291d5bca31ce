namespace Synthetics.Explain;

/// <summary>A target's own figures from one vantage before the problem and during it: what "normal" is for it.</summary>
/// <param name="Target">The target.</param>
/// <param name="Vantage">The vantage point.</param>
/// <param name="Before">Runs before the problem window.</param>
/// <param name="During">Runs inside the problem window.</param>
public sealed record TargetBaseline(string Target, string Vantage, PeriodFigures Before, PeriodFigures During);
