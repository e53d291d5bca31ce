namespace Synthetics.Lab.Web;

/// <summary>How a <see cref="WebBackendPool"/> is built.</summary>
public sealed class WebBackendPoolOptions
{
    /// <summary>Number of backends, 1–64. Default 3.</summary>
    public int Count { get; init; } = 3;

    /// <summary>Backends are named <c>{prefix}-{index}</c>. Default <c>web</c>.</summary>
    public string NamePrefix { get; init; } = "web";

    /// <summary>Clock for response delays and certificate validity. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
