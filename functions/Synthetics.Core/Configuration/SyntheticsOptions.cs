using Microsoft.Extensions.Options;
using Synthetics.Maintenance;
using Synthetics.Probes;
using Synthetics.Storage;
using Synthetics.Targets;

namespace Synthetics.Configuration;

/// <summary>
/// The <c>Synthetics</c> configuration section, shared by the Function App (app settings) and the CLI (a JSON file).
/// Contract: DESIGN §5. Validated at start (<see cref="SyntheticsOptionsValidator"/> and the hand-written validators
/// registered beside it); every nested section is checked as part of this one, since it is bound and read as one.
/// </summary>
public sealed class SyntheticsOptions
{
    /// <summary>The configuration section this binds to.</summary>
    public const string SectionName = "Synthetics";

    /// <summary>Name of this vantage point (run location), e.g. the Azure region. Default <c>local</c>.</summary>
    [SettingRequired]
    public string VantagePoint { get; set; } = "local";

    /// <summary>
    /// For the lab, demos and tests only: run every duration of these settings this many times faster (default 1, the
    /// product's cadence; &gt; 0 and ≤ 100). Applied once, at binding: every <see cref="TimeSpan"/> and every setting
    /// named <c>…Seconds</c> or <c>…Ms</c> in this section (per target too, and the code defaults targets fall back
    /// on) is divided by it, rates (<c>…PerSecond</c>) multiplied, and the schedules' ticks come this many times as
    /// often, so a faster run keeps the production structure. The Function App refuses any value but 1.
    /// </summary>
    public double TimeScale { get; set; } = Configuration.TimeScaling.RealTime;

    /// <summary>What to watch.</summary>
    [ValidateEnumeratedItems]
    public List<TargetOptions> Targets { get; set; } = [];

    /// <summary>Six-field NCRONTAB (seconds first) of the probe cycle. Default every minute.</summary>
    public string ProbeSchedule { get; set; } = "0 * * * * *";

    /// <summary>
    /// Six-field NCRONTAB (seconds first) of the evaluator. Default every minute at second 50: just after the minute's
    /// probe cycle is stored (the canary holds its Lease 40 s of it), so a cycle is judged seconds after it ends. A cycle
    /// stored later is judged by the next evaluation, never lost.
    /// </summary>
    public string EvaluationSchedule { get; set; } = "50 * * * * *";

    /// <summary>Six-field NCRONTAB (seconds first) of the retention run. Default hourly, 17 minutes past (away from the probe tick).</summary>
    public string RetentionSchedule { get; set; } = "0 17 * * * *";

    /// <summary>
    /// Six-field NCRONTAB (seconds first) of discovery from the Linode API (only with <c>Linode:Token</c> set). Default
    /// hourly, 7 minutes 20 seconds past (away from the probe tick and retention).
    /// </summary>
    public string DiscoverySchedule { get; set; } = "20 7 * * * *";

    /// <summary>
    /// Six-field NCRONTAB (seconds first) of the maintenance watcher (the status page's scheduled maintenances against the
    /// monitored regions). Default every 15 minutes at second 40.
    /// </summary>
    public string MaintenanceSchedule { get; set; } = "40 */15 * * * *";

    /// <summary>The Linode API, read by discovery. Without a token, discovery is off.</summary>
    [SettingRequired]
    [ValidateObjectMembers(typeof(Linode.LinodeOptionsValidator))]
    public Linode.LinodeOptions Linode { get; set; } = new();

    /// <summary>What discovery keeps (tag filter), when it retires, and the kubeconfigs of discovered clusters.</summary>
    [SettingRequired]
    [ValidateObjectMembers]
    public Discovery.DiscoveryOptions Discovery { get; set; } = new();

    /// <summary>How results become verdicts and incidents.</summary>
    [SettingRequired]
    [ValidateObjectMembers(typeof(Detection.DetectionOptionsValidator))]
    public Detection.DetectionOptions Detection { get; set; } = new();

    /// <summary>Where telemetry goes (Application Insights). Nothing in it can be wrong but its types, which binding checks.</summary>
    public Alerts.TelemetryOptions Telemetry { get; set; } = new();

    /// <summary>The provider's status page, for maintenance windows.</summary>
    [SettingRequired]
    [ValidateObjectMembers(typeof(MaintenanceOptionsValidator))]
    public Maintenance.MaintenanceOptions Maintenance { get; set; } = new();

    /// <summary>Where results are stored (Azure Table Storage) and for how long.</summary>
    [SettingRequired]
    [ValidateObjectMembers(typeof(StorageOptionsValidator))]
    public StorageOptions Storage { get; set; } = new();

    /// <summary>How probes run.</summary>
    [SettingRequired]
    [ValidateObjectMembers]
    public ProbingOptions Probing { get; set; } = new();

    /// <summary>
    /// Directory that relative paths (kubeconfigs, CA files) are resolved against.
    /// Set by the host: the config file's directory for the CLI, the app root for the Function App.
    /// </summary>
    public string? BaseDirectory { get; set; }
}
