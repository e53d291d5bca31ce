namespace Synthetics.Explain;

/// <summary>
/// One target (or a region's pooled targets) in one UTC minute, from one vantage (or pooled over vantages).
/// </summary>
/// <param name="Minute">Start of the minute (UTC).</param>
/// <param name="Target">The target, or <c>*</c> for a region's targets pooled.</param>
/// <param name="Attempts">Probe runs that started in the minute.</param>
/// <param name="Failures">Of them, failed ones.</param>
/// <param name="P90Ms">90th percentile duration of the successful runs of the short probes (every probe but the canary's
/// Lease hold and the watch, whose durations are their hold times), or null when there was none.</param>
public sealed record TimelineMinute(DateTimeOffset Minute, string Target, int Attempts, int Failures, double? P90Ms)
{
    /// <summary>Failures over attempts, 0–1.</summary>
    public double FailureShare => Attempts == 0 ? 0 : (double)Failures / Attempts;
}
