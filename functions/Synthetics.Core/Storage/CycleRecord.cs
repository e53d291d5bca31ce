using Synthetics.Probes;

namespace Synthetics.Storage;

/// <summary>
/// One vantage's probe cycle as stored beside its results, written only after every result of the cycle is stored:
/// the unit the evaluator judges. A record in the table says "this cycle's results are all in", whatever the cycle's
/// length, the canary's hold or how late the batch reached the table; the newest record of a vantage says when it
/// last produced anything, so silence shows apart from slowness.
/// </summary>
/// <param name="Vantage">The vantage point that ran the cycle.</param>
/// <param name="StartedAt">When the cycle started (UTC); every result of the cycle started at or after it.</param>
/// <param name="Duration">How long the cycle ran; every result of the cycle started before its end.</param>
/// <param name="Results">Results the cycle produced.</param>
/// <param name="Failed">Of them, failed ones.</param>
public sealed record CycleRecord(string Vantage, DateTimeOffset StartedAt, TimeSpan Duration, int Results, int Failed)
{
    /// <summary>The first cycle of its process (<see cref="ProbeCycleReport.ColdStart"/>): stored, not judged.</summary>
    public bool ColdStart { get; init; }

    /// <summary>The process stalled during the cycle (<see cref="ProbeCycleReport.Stalled"/>): stored, not judged.</summary>
    public bool Stalled { get; init; }

    /// <summary>The longest the process went unscheduled during the cycle (<see cref="ProbeCycleReport.LongestStall"/>).</summary>
    public TimeSpan LongestStall { get; init; }

    /// <summary>Whether detection judges the cycle: neither its process's first nor one it stalled in.</summary>
    public bool Judged => !ColdStart && !Stalled;

    /// <summary>When the cycle's last probe ended.</summary>
    public DateTimeOffset EndedAt => StartedAt + Duration;

    /// <summary>The record of <paramref name="report"/>, run at <paramref name="vantage"/>.</summary>
    public static CycleRecord From(string vantage, ProbeCycleReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new CycleRecord(vantage, report.StartedAt, report.Duration, report.Results.Count, report.Failed) { ColdStart = report.ColdStart, Stalled = report.Stalled, LongestStall = report.LongestStall };
    }

    /// <summary>Whether <paramref name="timestamp"/> (a result's start) falls inside this cycle.</summary>
    public bool Contains(DateTimeOffset timestamp) => timestamp >= StartedAt && timestamp <= EndedAt;
}
