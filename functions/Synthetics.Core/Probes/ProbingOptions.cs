using Microsoft.Extensions.Options;
using Synthetics.Configuration;

namespace Synthetics.Probes;

/// <summary>How the probe cycle runs: the <c>Synthetics:Probing</c> section, checked by its attributes at start.</summary>
public sealed class ProbingOptions
{
    /// <summary>The configuration section this binds to.</summary>
    public const string SectionName = "Synthetics:Probing";

    /// <summary>
    /// The longest any probe or Kubernetes canary timing may be, in seconds: past five minutes a probe no longer fits
    /// one cycle of any schedule the product runs on.
    /// </summary>
    public const double MaxSeconds = 300;

    /// <summary>Default hard timeout of one probe, in seconds (0 &lt; t ≤ 300). Default 10.</summary>
    [SettingRange(0, MaxSeconds, MinimumIsExclusive = true)]
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>Probes running at once in one cycle (1–1024). Default 64.</summary>
    [SettingRange(1, 1024)]
    public int MaxConcurrency { get; set; } = 64;

    /// <summary>
    /// Wall-clock budget of one cycle, in seconds. Probes still queued when it runs out are reported as
    /// not run, in-flight ones are cut and reported as timeouts. Default 50, so a cycle ends inside a one-minute schedule.
    /// Must be &gt; 0; a Kubernetes target's held probe must fit in it.
    /// </summary>
    [SettingRange(0, MinimumIsExclusive = true)]
    public double CycleBudgetSeconds { get; set; } = 50;

    /// <summary>
    /// Probe starts per second, spread evenly over the cycle (≥ 0; 0: all at once, bounded only by concurrency). Default 400.
    /// Pacing keeps a burst of new connections from tripping a NodeBalancer's per-client connection throttle, and keeps
    /// the vantage's CPU from saturating: a probe whose continuation waits for a core measures the wait, not the target.
    /// </summary>
    [SettingRange(0)]
    public double MaxStartsPerSecond { get; set; } = 400;

    /// <summary>A successful probe slower than this is reported as <c>slow</c> (&gt; 0). Default 2000 ms.</summary>
    [SettingRange(0, MinimumIsExclusive = true)]
    public double SlowThresholdMs { get; set; } = 2000;

    /// <summary>
    /// A cycle in which this process went unscheduled for longer than this, in milliseconds (≥ 0; 0: not watched), timed
    /// the monitor as much as its targets: a frozen or throttled instance, a starved CPU. It is stored and marked
    /// (<see cref="ProbeCycleReport.Stalled"/>) and, like a process's first cycle, never judged. Default 1000: far beyond a
    /// garbage collection's pause, a tenth of a probe's timeout.
    /// </summary>
    [SettingRange(0)]
    public double StallThresholdMs { get; set; } = 1000;

    /// <summary>A certificate with fewer days left than this is reported as <c>cert_expiring</c> (≥ 0). Default 14.</summary>
    [SettingRange(0)]
    public double CertificateExpiryWarningDays { get; set; } = 14;

    /// <summary>At most this many bytes of an HTTP body are read (≥ 1); the rest is not downloaded. Default 1 MiB.</summary>
    [SettingRange(1)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Before a process's first cycle, run the probes' code once against a loopback server of its own, so the first
    /// measurement times the target, not the runtime compiling and initialising what it runs for the first time (a cold
    /// start, a scale-out). Default true.
    /// </summary>
    public bool WarmUp { get; set; } = true;

    /// <summary>The disruption sampler: a request a second on a fresh and on a kept connection during each cycle.</summary>
    [SettingRequired]
    [ValidateObjectMembers]
    public SamplingOptions Sampling { get; set; } = new();
}
