namespace Synthetics.Explain;

/// <summary>
/// One vantage point's own cycles over the report's window, from the cycle records: so a report never blames the
/// provider for the monitor's trouble (a vantage that stopped, or whose cycles ran long).
/// </summary>
/// <param name="Vantage">The vantage point.</param>
/// <param name="Cycles">Cycles recorded in the window.</param>
/// <param name="ColdStarts">Of them, a process's first cycle (stored, not judged).</param>
/// <param name="Results">Results the cycles produced.</param>
/// <param name="Failed">Of them, failed ones.</param>
/// <param name="MedianDurationSeconds">Median cycle duration.</param>
/// <param name="MaxDurationSeconds">Longest cycle.</param>
/// <param name="MedianGapSeconds">Median time between cycle starts (the schedule as it ran).</param>
/// <param name="LongestGapSeconds">Longest time between two cycle starts: a silence shows here.</param>
/// <param name="FirstCycleAt">Start of the first cycle in the window.</param>
/// <param name="LastCycleAt">Start of the last cycle in the window.</param>
public sealed record MonitorHealth(
    string Vantage,
    int Cycles,
    int ColdStarts,
    int Results,
    int Failed,
    double MedianDurationSeconds,
    double MaxDurationSeconds,
    double? MedianGapSeconds,
    double? LongestGapSeconds,
    DateTimeOffset FirstCycleAt,
    DateTimeOffset LastCycleAt)
{
    /// <summary>Of the cycles, those in which the vantage's process stalled (stored, not judged).</summary>
    public int StalledCycles { get; init; }

    /// <summary>The longest the vantage's process went unscheduled in any cycle of the window, in seconds.</summary>
    public double LongestStallSeconds { get; init; }

    /// <summary>Whether the vantage ran steadily: no gap over three times the usual one, and no cycle it stalled in.</summary>
    public bool Steady => StalledCycles == 0 && (MedianGapSeconds is not { } median || LongestGapSeconds is not { } longest || longest <= median * 3);
}
