using Synthetics.Configuration;
using Synthetics.Probes;

namespace Synthetics.Targets;

/// <summary>
/// One entry of <c>Synthetics:Targets</c> as written in configuration (contract: DESIGN §5).
/// Kept loose (strings, nullables) so that validation can name exactly what is wrong. Checked at start: each field's
/// bounds by its attribute (whatever the kind, a value out of range is wrong), what depends on the kind or on other
/// settings by <see cref="TargetOptionsValidator"/>; <see cref="TargetCatalogFactory"/> turns it into a <see cref="Target"/>.
/// </summary>
public sealed class TargetOptions
{
    /// <summary>The configuration section the list of targets binds to.</summary>
    public const string SectionName = "Synthetics:Targets";

    /// <summary>Unique name of the target, e.g. <c>ca-prod-api</c>. Required.</summary>
    public string? Name { get; set; }

    /// <summary><c>KubernetesApi</c>, <c>Http</c> or <c>Tcp</c>. Required.</summary>
    public string? Kind { get; set; }

    /// <summary>Linode region id, e.g. <c>ca-central</c>. Required.</summary>
    public string? Region { get; set; }

    /// <summary>Hard timeout of each probe of this target, in seconds (&gt; 0 and ≤ 300). Default: <c>Probing:TimeoutSeconds</c> (10).</summary>
    [SettingRange(0, ProbingOptions.MaxSeconds, MinimumIsExclusive = true)]
    public double? TimeoutSeconds { get; set; }

    /// <summary>Free-form labels (cluster, what depends on it). Copied into results' details.</summary>
    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary>Narrows the probes run for this target, e.g. <c>["tcp", "tls"]</c>. Default: every probe for the kind.</summary>
    public List<string>? Probes { get; set; }

    /// <summary>KubernetesApi: path of the kubeconfig file (relative to the config file).</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>
    /// KubernetesApi: the kubeconfig itself (YAML, or its base64), instead of <see cref="Kubeconfig"/>: in Azure an app
    /// setting holding a Key Vault reference (<c>@Microsoft.KeyVault(SecretUri=…)</c>), so the secret never sits in a file.
    /// </summary>
    public string? KubeconfigContent { get; set; }

    /// <summary>KubernetesApi: context to use; default the kubeconfig's current-context.</summary>
    public string? Context { get; set; }

    /// <summary>Http: the URL to request.</summary>
    public string? Url { get; set; }

    /// <summary>Http: the expected status code (100–599). Default 200.</summary>
    [SettingRange(100, 599)]
    public int? ExpectStatus { get; set; }

    /// <summary>Http: a string the body must contain (searched in the first <c>Probing:MaxBodyBytes</c>).</summary>
    public string? ExpectBodyContains { get; set; }

    /// <summary>Http: PEM bundle trusted instead of the system store (relative to the config file).</summary>
    public string? CaFile { get; set; }

    /// <summary>Tcp: host name or address.</summary>
    public string? Host { get; set; }

    /// <summary>Tcp: port, 1–65535.</summary>
    [SettingRange(1, 65535)]
    public int? Port { get; set; }

    /// <summary>A successful probe slower than this is reported as <c>slow</c>. Default: <c>Probing:SlowThresholdMs</c>; &gt; 0.</summary>
    [SettingRange(0, MinimumIsExclusive = true)]
    public double? SlowThresholdMs { get; set; }

    /// <summary>KubernetesApi: namespace of the canary Leases. Default <c>synthetics-canary</c>.</summary>
    public string? CanaryNamespace { get; set; }

    /// <summary>KubernetesApi: Lease duration of the canary election, in seconds (&gt; 0 and ≤ 300). Default 15 (client-go).</summary>
    [SettingRange(0, ProbingOptions.MaxSeconds, MinimumIsExclusive = true)]
    public double? LeaseDurationSeconds { get; set; }

    /// <summary>KubernetesApi: renew deadline of the canary election, in seconds (&gt; 0 and ≤ 300). Default 10 (client-go); &lt; LeaseDurationSeconds.</summary>
    [SettingRange(0, ProbingOptions.MaxSeconds, MinimumIsExclusive = true)]
    public double? RenewDeadlineSeconds { get; set; }

    /// <summary>KubernetesApi: retry period of the canary election, in seconds (&gt; 0 and ≤ 300). Default 2 (client-go); renew deadline &gt; 1.2 × this.</summary>
    [SettingRange(0, ProbingOptions.MaxSeconds, MinimumIsExclusive = true)]
    public double? RetryPeriodSeconds { get; set; }

    /// <summary>KubernetesApi: how long lease-canary leads and watch stays open per invocation, in seconds (&gt; 0 and ≤ 300; with ApiCallTimeoutSeconds and 2 s of unwinding it must fit in <c>Probing:CycleBudgetSeconds</c>). Default 40.</summary>
    [SettingRange(0, ProbingOptions.MaxSeconds, MinimumIsExclusive = true)]
    public double? CanaryHoldSeconds { get; set; }

    /// <summary>KubernetesApi: lease-canary is <c>slow</c> when its smallest renew margin falls under this. Default: half the renew deadline; ≥ 0 and less than it.</summary>
    public double? RenewMarginWarningMs { get; set; }

    /// <summary>KubernetesApi: bound of every API call of the Kubernetes probes, in seconds (&gt; 0 and ≤ 300). Default 5; ≤ RenewDeadlineSeconds.</summary>
    [SettingRange(0, ProbingOptions.MaxSeconds, MinimumIsExclusive = true)]
    public double? ApiCallTimeoutSeconds { get; set; }
}
