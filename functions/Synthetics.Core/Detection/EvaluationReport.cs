namespace Synthetics.Detection;

/// <summary>What one evaluation did.</summary>
/// <param name="EvaluatedAt">The evaluation's time.</param>
/// <param name="Skipped">True when there was nothing new to judge: another evaluator judged the stored cycles
/// already, or no vantage stored a cycle since the last evaluation.</param>
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
    IReadOnlyList<IncidentEvent> Events)
{
    /// <summary>Cycles judged for the first time.</summary>
    public int CyclesJudged { get; init; }

    /// <summary>First cycles of a process (they measure its start): stored, not judged.</summary>
    public int ColdStarts { get; init; }

    /// <summary>Cycles in which their process stalled (they timed the monitor): stored, not judged.</summary>
    public int StalledCycles { get; init; }

    /// <summary>Cycles stored too late to judge (started longer ago than the baseline window).</summary>
    public int LateCycles { get; init; }

    /// <summary>
    /// Targets whose requests over the long window are too few to see a fault of the smallest share detection judges: not
    /// healthy for want of evidence, but unjudged, and said so (log 204) rather than passed.
    /// </summary>
    public IReadOnlyList<string> TooFewToJudge { get; init; } = [];

    /// <summary>Vantages that stopped storing cycles.</summary>
    public IReadOnlyList<string> SilentVantages { get; init; } = [];
}
