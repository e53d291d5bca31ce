using Synthetics.Lab.LinodeApi;
using Synthetics.Lab.Region;
using Synthetics.Lab.StatusPage;

namespace Synthetics.Lab.Scenarios;

/// <summary>
/// A maintenance announced a day ahead: at the start, the status page schedules "NodeBalancer improvements" on
/// CA-Central NodeBalancers 23 hours out, and the account gets a <c>maintenance</c> notification on ca-central's web
/// NodeBalancer for the same window. Nothing breaks: it is the watcher's warning ahead that is shown. The start and
/// the window follow <see cref="LabScenarioOptions.TimeScale"/>; the maintenance runs and completes on the status page at
/// its times.
/// </summary>
internal static class MaintenanceAheadScenario
{
    /// <summary>How far ahead it is announced, before the time scale.</summary>
    public static readonly TimeSpan DefaultLead = TimeSpan.FromHours(23);

    /// <summary>Its window, before the time scale.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(2);

    public const string MaintenanceName = March12Scenario.MaintenanceName;

    public static void Write(ScenarioScript script, LabRegion region, LabScenarioOptions options)
    {
        var lead = options.Scale(DefaultLead);
        var window = options.WindowOr(DefaultWindow);
        var model = region.StatusPage.Model;
        string? maintenanceId = null;

        script.Action(TimeSpan.Zero, $"status page: \"{MaintenanceName}\" scheduled on {March12Scenario.Component} in {LabScenarios.Format(lead)}; "
            + "the account: a maintenance notification on NodeBalancer ca-web", () =>
        {
            var now = region.TimeProvider.GetUtcNow();
            maintenanceId = model.AddMaintenance(
                MaintenanceName, [March12Scenario.Component], now + lead, now + lead + window,
                body: "We will be performing an upgrade of NodeBalancer infrastructure in our Toronto data center.");
            region.TrackMaintenance(maintenanceId);
            var web = region.LinodeApi.Model.NodeBalancers.First(n => n.Label == LabRegion.WebNodeBalancerLabel);
            region.LinodeApi.Model.AddNotification(new AccountNotification
            {
                Type = "maintenance",
                Label = "Scheduled NodeBalancer maintenance",
                Message = "Your NodeBalancer will be briefly unavailable during scheduled maintenance.",
                Severity = "major",
                When = now + lead,
                Until = now + lead + window,
                EntityType = "nodebalancer",
                EntityId = web.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                EntityLabel = web.Label,
            });
        });
        script.Action(lead, $"status page: \"{MaintenanceName}\" in progress", () => model.SetMaintenanceStatus(maintenanceId!, MaintenanceStatus.InProgress));
        script.Action(lead + window, $"status page: \"{MaintenanceName}\" completed; the account's notification goes", () =>
        {
            model.SetMaintenanceStatus(maintenanceId!, MaintenanceStatus.Completed);
            region.LinodeApi.Model.RemoveNotifications(n => n.Type == "maintenance" && n.EntityType == "nodebalancer");
        });
    }
}
