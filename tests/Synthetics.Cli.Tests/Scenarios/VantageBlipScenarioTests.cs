using Synthetics.Cli.Demo;
using Synthetics.Alerts;
using Synthetics.Detection;
using Synthetics.Lab.Scenarios;
using Xunit.Abstractions;

namespace Synthetics.Cli.Tests.Scenarios;

/// <summary>vantage-blip on the lab: one vantage loses its path to every NodeBalancer; the provider is fine.</summary>
[Collection(LabScenarioGroup.Name)]
[Trait("Category", LabScenarioGroup.Category)]
public sealed class VantageBlipScenarioTests(LabScenarioRuns runs, ITestOutputHelper output)
{
    private Task<DemoSummary> Summary() => runs.SummaryOf(LabScenarios.VantageBlip, output);

    [Fact]
    public async Task VantageBlip_OpensNoTargetOrRegionIncident()
    {
        var summary = await Summary();

        Assert.DoesNotContain(summary.Events, e => e.Incident.Scope != IncidentScope.Vantage);
    }

    [Fact]
    public async Task VantageBlip_OpensOneVantageHealthIncidentForTheBlippedVantage_AndResolvesIt()
    {
        var summary = await Summary();

        // The lab blips its second vantage.
        var opened = Assert.Single(summary.Opened);
        Assert.Equal(IncidentScope.Vantage, opened.Incident.Scope);
        Assert.Equal("vantage:us-central", opened.Incident.Key);
        Assert.Equal(["us-central"], opened.Incident.Vantages);
        var resolved = Assert.Single(summary.Resolved);
        Assert.Equal(opened.Incident.Id, resolved.Incident.Id);
        Assert.True(resolved.At > summary.FaultEnd);
    }

    [Fact]
    public async Task VantageBlip_VantageHealthEventReachesApplicationInsightsWithoutAPage()
    {
        var summary = await Summary();

        Assert.Equal(1, summary.TelemetryEvents.GetValueOrDefault("SyntheticsIncidentOpened"));
        Assert.Equal(4, IncidentSeverity.Of(Assert.Single(summary.Opened).Incident)); // alert rules page on severity ≤ 2
    }
}
