using Synthetics.Core.Tests.Support;
using Synthetics.Detection;
using Synthetics.Lab.Region;
using Synthetics.Lab.Scenarios;
using Synthetics.Results;
using Xunit.Abstractions;

namespace Synthetics.Cli.Tests.Detection;

/// <summary>The incident the product exists for, end to end: real lab, real Azurite, three vantages racing to evaluate.</summary>
public sealed class March12DetectionTests(AzuriteFixture azurite, ITestOutputHelper log) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Demo_March12_OpensOneRegionalCaCentralIncidentNamingTheMaintenanceAndResolvesIt()
    {
        var (summary, output) = await DetectionTestSettings.PlayAsync(
            DetectionTestSettings.For(LabScenarios.March12), azurite.ConnectionString, log, TimeSpan.FromMinutes(4));

        // Only pages count here: on a loaded machine a vantage's own slow start can open a vantage-health incident (no page).
        var opened = Assert.Single(summary.Opened, e => e.Incident.Scope != IncidentScope.Vantage).Incident;
        Assert.Equal((IncidentScope.Region, LabRegion.CaCentral), (opened.Scope, opened.Region));
        Assert.Equal(ProbeOutcome.Timeout, opened.LeadingOutcome);
        Assert.InRange(summary.EvaluationsToDetect!.Value, 1, 4);
        Assert.Contains("NodeBalancer improvements", opened.ProviderMaintenance, StringComparison.Ordinal);
        Assert.DoesNotContain(summary.Events, e => e.Incident.Scope != IncidentScope.Vantage
            && (e.Incident.Region == LabRegion.UsEast || e.Incident.Targets.Any(t => t.StartsWith("us-", StringComparison.Ordinal))));
        var resolved = Assert.Single(summary.Resolved, e => e.Incident.Id == opened.Id);
        Assert.Equal(opened.Id, resolved.Incident.Id);
        Assert.True(resolved.At > summary.FaultEnd, "resolved only after the faults cleared");

        Assert.Equal(LabRegionOptions.DefaultVantages.Order(StringComparer.Ordinal), summary.AvailabilityByVantage.Keys.Order(StringComparer.Ordinal));
        Assert.All(summary.AvailabilityByVantage.Values, count => Assert.True(count > 0));
        Assert.True(summary.TelemetryEvents.GetValueOrDefault("SyntheticsIncidentOpened") >= 1, "the receiver got SyntheticsIncidentOpened");
        Assert.Contains("[LKE Synthetics] OPENED", output, StringComparison.Ordinal);
    }
}
