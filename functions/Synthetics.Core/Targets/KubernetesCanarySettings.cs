using Synthetics.Configuration;
using Synthetics.Probes;

namespace Synthetics.Targets;

/// <summary>
/// How the Kubernetes probes (<c>kube-api</c>, <c>lease-canary</c>, <c>watch</c>) behave against one control plane.
/// Defaults are client-go's leader-election timings, so the canary feels what most controllers feel.
/// </summary>
public sealed record KubernetesCanarySettings
{
    /// <summary>client-go's defaults with a 40 s hold: fits a one-minute schedule with a 50 s cycle budget.</summary>
    public static KubernetesCanarySettings Default { get; } = new();

    /// <summary>Namespace holding the canary Leases. Default <c>synthetics-canary</c>.</summary>
    public string Namespace { get; init; } = "synthetics-canary";

    /// <summary>How long a Lease is valid after its last renewal. Default 15 s (client-go).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives up leadership. Default 10 s (client-go).</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause between renewals and between attempts. Default 2 s (client-go).</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the canary leads and the watch stays open in one invocation. Default 40 s.</summary>
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>A run whose smallest renew margin falls under this is <c>slow</c>. Default: half the renew deadline.</summary>
    public TimeSpan? RenewMarginWarning { get; init; }

    /// <summary>Bound of every API call, so a stall becomes a failed call and never a hang. Default 5 s.</summary>
    public TimeSpan ApiCallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Slack after the hold and the last bounded API call for a held probe to unwind (give the lease up, close the
    /// watch). Default 2 s. A duration like the others, so a time-scaled run keeps the held probe inside its cycle.
    /// </summary>
    public TimeSpan Unwind { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How much longer than the canary's hold the watch stays open, to see the last renewal. Default 1 s.</summary>
    public TimeSpan WatchLinger { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The settings a KubernetesApi target's fields ask for: each field given, or the default scaled by
    /// <paramref name="timeScale"/> (the code's defaults are durations of the same product, so on a scaled timeline they
    /// scale like the settings; the fields themselves were scaled at binding). A field out of its range falls back on the
    /// default too, so the rules across fields judge only what its own rule did not already reject.
    /// </summary>
    public static KubernetesCanarySettings For(TargetOptions entry, double timeScale)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var defaults = TimeScaling.Apply(Default with { }, timeScale);
        var renew = Seconds(entry.RenewDeadlineSeconds, defaults.RenewDeadline);
        return new KubernetesCanarySettings
        {
            Namespace = entry.CanaryNamespace?.Trim() ?? defaults.Namespace,
            LeaseDuration = Seconds(entry.LeaseDurationSeconds, defaults.LeaseDuration),
            RenewDeadline = renew,
            RetryPeriod = Seconds(entry.RetryPeriodSeconds, defaults.RetryPeriod),
            Hold = Seconds(entry.CanaryHoldSeconds, defaults.Hold),
            RenewMarginWarning = entry.RenewMarginWarningMs is { } ms && IsMarginWarning(ms, renew) ? TimeSpan.FromMilliseconds(ms) : null,
            ApiCallTimeout = Seconds(entry.ApiCallTimeoutSeconds, defaults.ApiCallTimeout),
            Unwind = defaults.Unwind,
            WatchLinger = defaults.WatchLinger,
        };
    }

    /// <summary>Whether <paramref name="ms"/> can be the renew-margin warning under <paramref name="renewDeadline"/>: ≥ 0 and less than it.</summary>
    internal static bool IsMarginWarning(double ms, TimeSpan renewDeadline) =>
        !double.IsNaN(ms) && ms >= 0 && ms < renewDeadline.TotalMilliseconds;

    private static TimeSpan Seconds(double? value, TimeSpan fallback) =>
        value is { } seconds && seconds > 0 && seconds <= ProbingOptions.MaxSeconds ? TimeSpan.FromSeconds(seconds) : fallback;

    /// <summary>The margin warning in effect.</summary>
    public TimeSpan EffectiveRenewMarginWarning => RenewMarginWarning ?? RenewDeadline / 2;

    /// <summary>
    /// Hard timeout of a held probe: the hold, plus one bounded API call to finish the last attempt, plus
    /// <see cref="Unwind"/>. Validation keeps it inside the cycle budget so a held probe never overlaps the next invocation.
    /// </summary>
    public TimeSpan HeldProbeTimeout => Hold + ApiCallTimeout + Unwind;
}
