using System.Globalization;
using Synthetics.Lab.Faults;
using Synthetics.Lab.LinodeApi;
using Synthetics.Lab.Region;

namespace Synthetics.Lab.Scenarios;

/// <summary>
/// The customer's own change causes a blip: at the onset the account records an <c>lke_cluster_update</c> on the
/// ca-central cluster (as updating its Kubernetes version or control plane does), and a few seconds later its control
/// plane's NodeBalancer resets half of the new connections for a short burst. No maintenance anywhere: the monitor must
/// name the update as the likely cause, not the provider.
/// </summary>
internal static class CustomerChangeScenario
{
    /// <summary>Default failure burst, before <see cref="LabScenarioOptions.TimeScale"/>.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(4);

    /// <summary>The update's action, as the account's events name it.</summary>
    public const string Action = "lke_cluster_update";

    public const double ResetShare = 0.5;

    private static readonly TimeSpan DefaultDelay = TimeSpan.FromSeconds(10);

    public static void Write(ScenarioScript script, LabRegion region, LabScenarioOptions options)
    {
        var cluster = region.GetCluster(LabRegion.CaCentral);
        var window = options.WindowOr(DefaultWindow);
        var burstAt = options.Onset + options.Scale(DefaultDelay);
        script.Action(options.Onset, $"the account: {Action} on cluster {cluster.Label} ({cluster.Id.ToString(CultureInfo.InvariantCulture)})", () =>
            region.LinodeApi.Model.AddEvent(new AccountEvent
            {
                Action = Action,
                Created = region.TimeProvider.GetUtcNow(),
                Duration = 1,
                EntityType = "lkecluster",
                EntityId = cluster.Id,
                EntityLabel = cluster.Label,
            }));
        script.Fault(
            burstAt,
            window,
            cluster.NodeBalancer,
            new FaultPlan { ResetShare = ResetShare },
            vantage: null,
            $"ca-central control plane {cluster.NodeBalancer.Name}: {LabScenarios.Percent(ResetShare)} of new connections reset for {LabScenarios.Format(window)}");
    }
}
