namespace Synthetics.Probes;

/// <summary>How the probe cycle runs: the <c>Synthetics:Probing</c> section.</summary>
public sealed class ProbingOptions
{
    /// <summary>Default hard timeout of one probe, in seconds (0 &lt; t ≤ 300). Default 10.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>Probes running at once in one cycle (1–1024). Default 64.</summary>
    public int MaxConcurrency { get; set; } = 64;

    /// <summary>
    /// Wall-clock budget of one cycle, in seconds. Probes still queued when it runs out are reported as
    /// not run, in-flight ones are cut and reported as timeouts. Default 50, so a cycle ends inside a one-minute schedule.
    /// </summary>
    public double CycleBudgetSeconds { get; set; } = 50;

    /// <summary>
    /// Probe starts per second, spread evenly over the cycle (0: all at once, bounded only by concurrency). Default 400.
    /// Pacing keeps a burst of new connections from tripping a NodeBalancer's per-client connection throttle, and keeps
    /// the vantage's CPU from saturating: a probe whose continuation waits for a core measures the wait, not the target.
    /// </summary>
    public double MaxStartsPerSecond { get; set; } = 400;

    /// <summary>A successful probe slower than this is reported as <c>slow</c>. Default 2000 ms.</summary>
    public double SlowThresholdMs { get; set; } = 2000;

    /// <summary>A certificate with fewer days left than this is reported as <c>cert_expiring</c>. Default 14.</summary>
    public double CertificateExpiryWarningDays { get; set; } = 14;

    /// <summary>At most this many bytes of an HTTP body are read; the rest is not downloaded. Default 1 MiB.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;
}
