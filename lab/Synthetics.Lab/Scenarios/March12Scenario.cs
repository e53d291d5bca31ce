using Synthetics.Lab.Faults;
using Synthetics.Lab.Region;
using Synthetics.Lab.StatusPage;

namespace Synthetics.Lab.Scenarios;

/// <summary>
/// The incident the product exists for: during a "NodeBalancer improvements" maintenance, ca-central's NodeBalancers
/// (the control plane's, and the web tier's) stalled a share of new connections for ~12 s, reset a few, and cut long-lived watches after 30–90 s.
/// us-east is untouched, so the monitor can tell a regional provider problem from its own.
/// </summary>
/// <remarks>
/// When the change reaches a NodeBalancer instance, the connections open through it lose their flow silently
/// (<see cref="FaultPlan.DropOpenFlows"/>). Without that the stalls, resets and cuts alone never cost the cluster's own
/// cert-manager its leader election in the lab (no loss in 6 of 6 seeds: a cut connection is redialled and 89% of new
/// connections pass, well within a 40 s renew deadline), while in the seed incident cert-manager lost it and
/// restarted: a renewal waiting on a dropped flow gets no answer before the renew deadline. A fleet change replaces
/// instances one after another, so by default it rolls over the first half of the window and each flow dies when its
/// instance is replaced (<see cref="FaultPlan.DropOpenFlowsOver"/>); <see cref="LabScenarioOptions.FleetChangeRollout"/>
/// zero drops every open flow at the onset.
/// </remarks>
internal static class March12Scenario
{
    /// <summary>Default fault window, before <see cref="LabScenarioOptions.TimeScale"/>.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(10);

    public const double StallShare = 0.08;
    public const double ResetShare = 0.03;
    public const string MaintenanceName = "NodeBalancer improvements";
    public const string Component = "CA-Central (Toronto) NodeBalancers";

    private static readonly TimeSpan DefaultStall = TimeSpan.FromSeconds(12);
    private static readonly TimeSpan DefaultCutMin = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DefaultCutMax = TimeSpan.FromSeconds(90);

    /// <summary>
    /// The plan for a window of <paramref name="window"/>: stall and cut range follow the time scale, and are kept
    /// inside the window (cut range at most the window, its lower end a third of the upper at most) so a shortened
    /// scenario still shows every symptom before it ends.
    /// </summary>
    public static FaultPlan Plan(LabScenarioOptions options, TimeSpan window)
    {
        var stall = options.StallDuration ?? Min(options.Scale(DefaultStall), window);
        var cutMax = Min(options.Scale(DefaultCutMax), window);
        var cutMin = Min(options.Scale(DefaultCutMin), cutMax / 3);
        return new FaultPlan
        {
            StallShare = StallShare,
            StallDuration = stall,
            ResetShare = ResetShare,
            CutAfterMin = cutMin,
            CutAfterMax = cutMax,
            DropOpenFlows = true,
            DropOpenFlowsOver = Rollout(options, window),
        };
    }

    public static void Write(ScenarioScript script, LabRegion region, LabScenarioOptions options)
    {
        var onset = options.Onset;
        var window = options.WindowOr(DefaultWindow);
        var plan = Plan(options, window);
        // A fleet change reaches every NodeBalancer of the region: the control plane's and the web tier's.
        NodeBalancers.NodeBalancer[] nodeBalancers = [region.GetCluster(LabRegion.CaCentral).NodeBalancer, region.WebNodeBalancer];
        var model = region.StatusPage.Model;
        string? maintenanceId = null;

        script.Action(TimeSpan.Zero, $"status page: maintenance \"{MaintenanceName}\" scheduled on {Component}", () =>
        {
            var now = region.TimeProvider.GetUtcNow();
            maintenanceId = model.AddMaintenance(
                MaintenanceName,
                [Component],
                now + onset,
                now + onset + window,
                body: "We will be performing an upgrade of NodeBalancer infrastructure in our Toronto data center. Connections may be briefly interrupted.");
            region.TrackMaintenance(maintenanceId);
        });
        foreach (var nodeBalancer in nodeBalancers)
        {
            script.Fault(
                onset,
                window,
                nodeBalancer,
                plan,
                vantage: null,
                $"ca-central NodeBalancer {nodeBalancer.Name}: {Flows(plan)}, {LabScenarios.Percent(plan.StallShare)} of new connections stall "
                + $"{LabScenarios.Format(plan.StallDuration)}, {LabScenarios.Percent(plan.ResetShare)} reset, open connections cut after "
                + $"{LabScenarios.Format(plan.CutAfterMin!.Value)}–{LabScenarios.Format(plan.CutAfterMax!.Value)}");
        }
        script.Action(onset, $"status page: \"{MaintenanceName}\" in progress, {Component} under maintenance", () =>
            model.SetMaintenanceStatus(maintenanceId!, MaintenanceStatus.InProgress));
        script.Action(onset + window, $"status page: \"{MaintenanceName}\" completed", () =>
            model.SetMaintenanceStatus(maintenanceId!, MaintenanceStatus.Completed));
    }

    private static string Flows(FaultPlan plan) => plan.DropOpenFlowsOver is { } over
        ? $"open connections lose their flow silently as the fleet change reaches their instance (over {LabScenarios.Format(over)})"
        : "open connections lose their flow silently";

    /// <summary>How long the fleet change rolls: the option, default half the window; null (all at once) for zero.</summary>
    public static TimeSpan? Rollout(LabScenarioOptions options, TimeSpan window)
    {
        var rollout = options.FleetChangeRollout ?? window / 2;
        return rollout > TimeSpan.Zero ? Min(rollout, window) : null;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
