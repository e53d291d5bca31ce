namespace Synthetics.Lab.Web;

/// <summary>How a <see cref="WebBackendPool"/> is built.</summary>
public sealed class WebBackendPoolOptions
{
    /// <summary>Number of backends, 1–64. Default 3.</summary>
    public int Count { get; init; } = 3;

    /// <summary>Backends are named <c>{prefix}-{index}</c>. Default <c>web</c>.</summary>
    public string NamePrefix { get; init; } = "web";

    /// <summary>
    /// How long the backends' certificate stays valid from start, 1 minute to 10 years. Default 30 days; a week or
    /// less stages a certificate about to expire (the lab's <c>cert-expiring</c> scenario).
    /// </summary>
    public TimeSpan CertificateLifetime { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Clock for response delays and certificate validity. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
