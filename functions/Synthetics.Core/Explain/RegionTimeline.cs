namespace Synthetics.Explain;

/// <summary>
/// A region's targets pooled over every vantage, minute by minute: beside the subject region, the regions that stayed
/// healthy from the same vantage points answer "it is your network" on the page.
/// </summary>
/// <param name="Region">The region.</param>
/// <param name="Targets">Its targets that reported in the window.</param>
/// <param name="Attempts">Runs in the window.</param>
/// <param name="Failures">Failed runs in the window.</param>
/// <param name="Minutes">Pooled per minute (target <c>*</c>).</param>
public sealed record RegionTimeline(string Region, IReadOnlyList<string> Targets, int Attempts, int Failures, IReadOnlyList<TimelineMinute> Minutes)
{
    public double FailureShare => Attempts == 0 ? 0 : (double)Failures / Attempts;
}
