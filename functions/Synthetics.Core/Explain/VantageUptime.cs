namespace Synthetics.Explain;

/// <summary>A target's month from one vantage (or every vantage pooled: vantage <c>*</c>).</summary>
/// <param name="Vantage">The vantage point, or <c>*</c>.</param>
/// <param name="Runs">Probe runs in the month.</param>
/// <param name="Failed">Of them, failed ones.</param>
/// <param name="MinutesMeasured">Minutes with at least one run.</param>
/// <param name="MinutesWithFailures">Minutes with at least one failed run.</param>
public sealed record VantageUptime(string Vantage, long Runs, long Failed, int MinutesMeasured, int MinutesWithFailures)
{
    /// <summary>Successful runs over runs (1 without runs).</summary>
    public double Availability => Runs == 0 ? 1 : 1 - ((double)Failed / Runs);
}
