using System.Net;

namespace Synthetics.Lab.Kubernetes;

/// <summary>Settings for a <see cref="LabKubernetesApi"/>. Defaults give a loopback API server on a free port.</summary>
public sealed class LabKubernetesApiOptions
{
    /// <summary>Configuration section name, for hosts that bind the lab from settings.</summary>
    public const string SectionName = "Lab:KubernetesApi";

    /// <summary>Address to listen on; must be a loopback address. Default <see cref="IPAddress.Loopback"/> (127.0.0.1).</summary>
    public IPAddress ListenAddress { get; set; } = IPAddress.Loopback;

    /// <summary>TCP port, 0..65535. Default 0: the operating system picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>
    /// DNS names added to the serving certificate besides <c>localhost</c>,
    /// e.g. <c>1a2b3c.ca-central-1.linodelke.net</c>. Default none.
    /// </summary>
    public IList<string> ExtraDnsNames { get; } = [];

    /// <summary>IP addresses added to the serving certificate besides 127.0.0.1. Default none.</summary>
    public IList<IPAddress> ExtraIpAddresses { get; } = [];

    /// <summary>Bearer tokens accepted at start; more can be added at run time. Default none.</summary>
    public IList<string> Tokens { get; } = [];

    /// <summary>The <c>gitVersion</c> reported by <c>/version</c>. Default <c>v1.31.4</c>; must look like <c>vMAJOR.MINOR.PATCH</c>.</summary>
    public string KubernetesVersion { get; set; } = "v1.31.4";

    /// <summary>
    /// How long a watch without <c>timeoutSeconds</c> stays open. Default 30 minutes
    /// (the real server picks 30 to 60 minutes at random).
    /// </summary>
    public TimeSpan DefaultWatchTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How many past changes a watch can resume from before it gets 410 Gone. Default 1000, minimum 1.</summary>
    public int WatchHistoryLength { get; set; } = 1000;

    /// <summary>Writes Kestrel and ASP.NET Core logs to the console. Default false: the lab stays quiet in tests.</summary>
    public bool EnableConsoleLogging { get; set; }
}
