using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Synthetics.Alerts;
using Synthetics.Core.Tests.Support;
using Synthetics.Detection;
using Synthetics.Lab.Region;
using Synthetics.Lab.Scenarios;
using Synthetics.Maintenance;
using Synthetics.Pipeline;

namespace Synthetics.Core.Tests.Maintenance;

/// <summary>
/// The lab's <c>maintenance-ahead</c> scenario on one fake clock (the lab's status page and Linode API announce a
/// ca-central NodeBalancer maintenance 23 hours out), watched by three racing ca-central apps and a us-east-only one,
/// claims on Azurite, every 15 minutes until it starts.
/// </summary>
public sealed class MaintenanceAheadScenarioTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task MaintenanceAhead_ThreeRacingCaCentralVantages_OneAheadAndOneShortlyPerAnnouncementAndTheUsEastUserNotWarned()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var region = await LabRegion.StartAsync(new LabRegionOptions { TimeProvider = time, Scenario = LabScenarios.MaintenanceAhead });
        for (var wait = 0; region.AppliedScenarioSteps.Count == 0 && wait < 600; wait++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }

        var web = region.LinodeApi.Model.NodeBalancers.Single(n => n.Label == LabRegion.WebNodeBalancerLabel);
        var usEastNodeBalancer = region.LinodeApi.Model.NodeBalancers.Single(n => n.Region == LabRegion.UsEast);
        var incidents = AzuriteFixture.UniqueTableName("Incidents");
        var telemetry = new WarningRecorder();
        var caCentral = new[] { "eastus", "westeurope", "southeastasia" }
            .Select(v => App(region, time, telemetry, incidents, v, LabRegion.CaCentral, web.Id)).ToList();
        using var usEast = App(region, time, new WarningRecorder(), incidents, "centralus", LabRegion.UsEast, usEastNodeBalancer.Id);

        var sent = new List<MaintenanceWarning>();
        for (var tick = 0; tick < 23 * 4; tick++)
        {
            var runs = await Task.WhenAll(caCentral.Select(app => Task.Run(() => app.GetRequiredService<MaintenanceCycle>().RunOnceAsync(None))));
            sent.AddRange(runs.SelectMany(r => r.Sent));
            Assert.All(runs, r => Assert.Null(r.StatusPageFailure ?? r.AccountFailure));
            Assert.Empty((await usEast.GetRequiredService<MaintenanceCycle>().RunOnceAsync(None)).Sent);
            time.Advance(TimeSpan.FromMinutes(15));
        }

        // Both "ahead" warnings before both "shortly" ones; within a stage the racing apps send in any order.
        Assert.Equal(
            [MaintenanceWarning.Ahead, MaintenanceWarning.Ahead, MaintenanceWarning.Shortly, MaintenanceWarning.Shortly],
            sent.Select(w => w.Stage));
        Assert.Equal(
            new[]
            {
                (MaintenanceWarning.StatusPage, MaintenanceWarning.Ahead), (MaintenanceWarning.AccountNotice, MaintenanceWarning.Ahead),
                (MaintenanceWarning.StatusPage, MaintenanceWarning.Shortly), (MaintenanceWarning.AccountNotice, MaintenanceWarning.Shortly),
            }.Order(),
            sent.Select(w => (w.Source, w.Stage)).Order());
        Assert.Equal(4, telemetry.Warnings.Count);
        Assert.All(sent, w => Assert.Equal(["ca-central"], w.Regions));
        caCentral.ForEach(a => a.Dispose());
    }

    private ServiceProvider App(LabRegion region, TimeProvider time, ITelemetryPublisher telemetry, string incidents, string vantage, string linodeRegion, long nodeBalancerId)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Synthetics:VantagePoint"] = vantage,
            ["Synthetics:Storage:ConnectionString"] = azurite.ConnectionString,
            ["Synthetics:Storage:IncidentsTable"] = incidents,
            ["Synthetics:Storage:TargetCatalogTable"] = AzuriteFixture.UniqueTableName("Catalog"),
            ["Synthetics:Maintenance:StatusPageUrl"] = region.StatusPage.BaseAddress.ToString(),
            // Real seconds, on a loaded machine four apps read at once: the bound is not what is tested here.
            ["Synthetics:Maintenance:TimeoutSeconds"] = "60",
            ["Synthetics:Linode:Token"] = region.LinodeApiToken,
            ["Synthetics:Linode:ApiUrl"] = new Uri(region.LinodeApi.BaseAddress, "v4/").ToString(),
            ["Synthetics:Targets:0:Name"] = $"{linodeRegion}-nb",
            ["Synthetics:Targets:0:Kind"] = "Tcp",
            ["Synthetics:Targets:0:Region"] = linodeRegion,
            ["Synthetics:Targets:0:Host"] = "127.0.0.1",
            ["Synthetics:Targets:0:Port"] = "9",
            ["Synthetics:Targets:0:Labels:nodeBalancerId"] = nodeBalancerId.ToString(CultureInfo.InvariantCulture),
        };
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(time);
        services.AddSingleton(telemetry);
        services.AddSynthetics(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }
}
