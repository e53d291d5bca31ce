using System.Globalization;
using Synthetics.Lab.Region;

namespace Synthetics.Lab.Scenarios;

/// <summary>
/// The named scenarios a <see cref="LabRegion"/> can play, each a timeline relative to the region's start
/// (see <see cref="LabScenarioOptions"/> for onset and time scale).
/// </summary>
public static class LabScenarios
{
    /// <summary>Nothing goes wrong.</summary>
    public const string Healthy = "healthy";

    /// <summary>
    /// The March-12 incident: ca-central's control-plane NodeBalancer stalls ~8% of new connections for 12 s, resets ~3%
    /// and cuts long-lived connections after 30–90 s, during a "NodeBalancer improvements" maintenance on the status page.
    /// </summary>
    public const string March12 = "march-12";

    /// <summary>One vantage loses its path to every NodeBalancer for 3 minutes; the provider is fine.</summary>
    public const string VantageBlip = "vantage-blip";

    /// <summary>One web backend behind the ca-central web NodeBalancer goes down for 5 minutes.</summary>
    public const string BackendDown = "backend-down";

    /// <summary>The web backends serve a certificate that expires in 7 days, from the start.</summary>
    public const string CertExpiring = "cert-expiring";

    /// <summary>
    /// A maintenance announced a day ahead: the status page schedules one on CA-Central NodeBalancers and the account gets a
    /// maintenance notification on ca-central's web NodeBalancer, 23 hours out; nothing breaks.
    /// </summary>
    public const string MaintenanceAhead = "maintenance-ahead";

    /// <summary>The customer updates the ca-central cluster (an <c>lke_cluster_update</c> event), then its control plane resets half the new connections for 4 minutes.</summary>
    public const string CustomerChange = "customer-change";

    /// <summary>Every scenario name, in the order they are listed to users.</summary>
    public static IReadOnlyList<string> Names { get; } = [Healthy, March12, VantageBlip, BackendDown, CertExpiring, MaintenanceAhead, CustomerChange];

    /// <summary>True for a name in <see cref="Names"/> (ordinal).</summary>
    public static bool IsKnown(string? name) => name is not null && Names.Contains(name, StringComparer.Ordinal);

    /// <summary>One line for people about the scenario; throws <see cref="ArgumentException"/> for an unknown name.</summary>
    public static string Describe(string name) => name switch
    {
        Healthy => "nothing goes wrong",
        March12 => "ca-central control-plane NodeBalancer stalls, resets and cuts connections during a status-page maintenance; us-east fine",
        VantageBlip => "one vantage loses all connectivity to every NodeBalancer; the provider is fine",
        BackendDown => "one ca-central web backend goes down",
        CertExpiring => "the ca-central web backends serve a certificate expiring in 7 days",
        MaintenanceAhead => "a ca-central NodeBalancer maintenance is announced a day ahead on the status page and in the account's notifications",
        CustomerChange => "the customer updates the ca-central cluster (lke_cluster_update), then its control plane resets connections briefly",
        _ => throw Unknown(name),
    };

    /// <summary>
    /// How long the scenario's trouble lasts at time scale 1 (march-12 10 min, vantage-blip 3 min, backend-down 5 min,
    /// customer-change 4 min), or zero when it has no fault window (healthy, cert-expiring, maintenance-ahead); throws <see cref="ArgumentException"/> for an unknown name.
    /// </summary>
    public static TimeSpan DefaultWindow(string name) => name switch
    {
        March12 => March12Scenario.DefaultWindow,
        VantageBlip => VantageBlipScenario.DefaultWindow,
        BackendDown => BackendDownScenario.DefaultWindow,
        CustomerChange => CustomerChangeScenario.DefaultWindow,
        Healthy or CertExpiring or MaintenanceAhead => TimeSpan.Zero,
        _ => throw Unknown(name),
    };

    /// <summary>
    /// True when the scenario shapes how the region is built (so it cannot be switched to or from at run time).
    /// </summary>
    internal static bool NeedsRestart(string name) => name == CertExpiring;

    internal static void Write(string name, ScenarioScript script, LabRegion region, LabScenarioOptions options)
    {
        switch (name)
        {
            case Healthy:
                break;
            case March12:
                March12Scenario.Write(script, region, options);
                break;
            case VantageBlip:
                VantageBlipScenario.Write(script, region, options);
                break;
            case BackendDown:
                BackendDownScenario.Write(script, region, options);
                break;
            case CertExpiring:
                CertExpiringScenario.Write(script, region);
                break;
            case MaintenanceAhead:
                MaintenanceAheadScenario.Write(script, region, options);
                break;
            case CustomerChange:
                CustomerChangeScenario.Write(script, region, options);
                break;
            default:
                throw Unknown(name);
        }
    }

    internal static ArgumentException Unknown(string? name) =>
        new($"Unknown scenario '{name}' (known: {string.Join(", ", Names)}).", nameof(name));

    /// <summary>A duration for people: <c>450 ms</c>, <c>12 s</c>, <c>1.5 s</c>, <c>3 min</c>.</summary>
    internal static string Format(TimeSpan value) => value switch
    {
        { TotalSeconds: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0.#} ms"),
        { TotalMinutes: < 2 } => string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.#} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{value.TotalMinutes:0.#} min"),
    };

    internal static string Percent(double share) => string.Create(CultureInfo.InvariantCulture, $"{share * 100:0.#}%");
}
