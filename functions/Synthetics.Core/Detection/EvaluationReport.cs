namespace Synthetics.Detection;

/// <summary>What one evaluation did.</summary>
/// <param name="EvaluatedAt">The evaluation's time.</param>
/// <param name="Skipped">True when another evaluator had already evaluated this moment.</param>
/// <param name="ResultsRead">Results in the window.</param>
/// <param name="Verdicts">Target × vantage verdicts.</param>
/// <param name="Findings">Problems seen in this window.</param>
/// <param name="Events">Incidents opened, updated or resolved by this evaluation.</param>
public sealed record EvaluationReport(
    DateTimeOffset EvaluatedAt,
    bool Skipped,
    int ResultsRead,
    IReadOnlyList<VantageVerdict> Verdicts,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<IncidentEvent> Events);
