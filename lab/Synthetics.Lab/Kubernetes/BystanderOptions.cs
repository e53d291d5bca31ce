namespace Synthetics.Lab.Kubernetes;

/// <summary>
/// How a <see cref="BystanderController"/> runs its leader election: cert-manager's defaults
/// (<c>--leader-election-lease-duration=60s</c>, <c>--leader-election-renew-deadline=40s</c>,
/// <c>--leader-election-retry-period=15s</c>) on the Lease <c>kube-system/cert-manager-controller</c>, every duration
/// multiplied by <see cref="TimeScale"/>.
/// </summary>
public sealed class BystanderOptions
{
    /// <summary>The NodeBalancer listener the bystander connects through, apart from every vantage: the cluster's own side.</summary>
    public const string InClusterVantage = "in-cluster";

    /// <summary>The Lease's namespace. Default <c>kube-system</c>, where cert-manager keeps it.</summary>
    public string Namespace { get; init; } = "kube-system";

    /// <summary>The Lease's name. Default <c>cert-manager-controller</c>.</summary>
    public string LeaseName { get; init; } = "cert-manager-controller";

    /// <summary>Lease duration before <see cref="TimeScale"/>. Default 60 s (cert-manager).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the leader keeps retrying a renewal before it gives up, before <see cref="TimeScale"/>. Default 40 s (cert-manager).</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>Between two attempts, before <see cref="TimeScale"/>. Default 15 s (cert-manager).</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Bound on establishing a connection (TCP and TLS handshake), before <see cref="TimeScale"/>. Default 10 s:
    /// client-go's <c>TLSHandshakeTimeout</c>. A request itself is bounded only by the renew deadline, as client-go bounds
    /// it with the renew deadline's context.
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// From a lost election to the restarted controller's first attempt, before <see cref="TimeScale"/>. Default 5 s:
    /// cert-manager exits on a lost election and the kubelet starts it again.
    /// </summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Factor on every duration above (0.2 runs them 5× faster), greater than 0. Default 1.</summary>
    public double TimeScale { get; init; } = 1;

    internal TimeSpan Scaled(TimeSpan value) =>
        TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (long)(value.Ticks * TimeScale)));

    /// <summary>The first setting out of range, as a message naming it, or null when all are valid.</summary>
    public string? Validate()
    {
        if (double.IsNaN(TimeScale) || double.IsInfinity(TimeScale) || TimeScale <= 0)
        {
            return "TimeScale must be a positive number";
        }

        if (RetryPeriod <= TimeSpan.Zero || RenewDeadline <= RetryPeriod)
        {
            return "RenewDeadline must be longer than RetryPeriod, and both positive";
        }

        return LeaseDuration <= RenewDeadline ? "LeaseDuration must be longer than RenewDeadline" : null;
    }
}
