namespace Synthetics.Explain;

/// <summary>
/// Everything a provider's support needs to take a degradation seriously when it "appears to be working at the
/// moment": what, where and when; what each vantage point measured minute by minute beside the healthy regions and the
/// target's own baseline; every failed attempt; the monitor's own health; the provider's overlapping maintenance; how
/// to reproduce a probe by hand; and the ask. Holds no secret: results hold none, and nothing else is read.
/// </summary>
public sealed record EvidenceReport
{
    /// <summary>The report's title, e.g. <c>Evidence: ca-central degraded (provider:ca-central@20260312T140200Z)</c>.</summary>
    public required string Title { get; init; }

    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>The product version that built the report.</summary>
    public required string ProductVersion { get; init; }

    public required EvidenceSubject Subject { get; init; }

    /// <summary>Start of the window the report reads (UTC, inclusive).</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>End of the window the report reads (UTC, exclusive).</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>
    /// The problem's window, shaded on the charts: from the incident's first bad evaluation less the detection window
    /// (the runs that made it bad) to its resolution (or now); null when no incident overlaps.
    /// </summary>
    public DateTimeOffset? ProblemFrom { get; init; }

    public DateTimeOffset? ProblemTo { get; init; }

    /// <summary>Incidents of the subject that overlap the window (its own id first for an incident's report).</summary>
    public IReadOnlyList<string> Incidents { get; init; } = [];

    /// <summary>Every vantage point that measured or recorded a cycle in the window.</summary>
    public required IReadOnlyList<string> Vantages { get; init; }

    /// <summary>Per vantage, per minute and target of the subject.</summary>
    public required IReadOnlyList<VantageTimeline> Timelines { get; init; }

    /// <summary>The subject's region first, then every other configured region, pooled over vantages.</summary>
    public required IReadOnlyList<RegionTimeline> Regions { get; init; }

    /// <summary>Per target and vantage: before the problem and during it.</summary>
    public required IReadOnlyList<TargetBaseline> Baselines { get; init; }

    /// <summary>Runs of the subject's targets in the window.</summary>
    public required int Attempts { get; init; }

    /// <summary>Failed runs by outcome (contract names), most frequent first.</summary>
    public required IReadOnlyDictionary<string, int> FailuresByOutcome { get; init; }

    /// <summary>Every failed run of the subject's targets in the window, in time order: all of them, always.</summary>
    public required IReadOnlyList<FailedAttempt> FailedAttempts { get; init; }

    /// <summary>Each vantage's own cycles over the window.</summary>
    public required IReadOnlyList<MonitorHealth> Monitor { get; init; }

    /// <summary>Provider maintenances touching the region that overlap the window.</summary>
    public required IReadOnlyList<OverlappingMaintenance> Maintenances { get; init; }

    /// <summary>
    /// The account's own changes that overlapped the incidents in it (cluster updates, NodeBalancer config changes…), as
    /// recorded when each opened, one line each; empty when none (or no Linode token).
    /// </summary>
    public IReadOnlyList<string> CustomerChanges { get; init; } = [];

    public required IReadOnlyList<Reproduction> Reproductions { get; init; }

    /// <summary>The short paragraph stating what we ask of the provider, built from the figures above.</summary>
    public required string Ask { get; init; }
}
