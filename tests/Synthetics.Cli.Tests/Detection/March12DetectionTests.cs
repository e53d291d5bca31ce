using Synthetics.Cli.Demo;
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
        var output = new StringWriter();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(4));

        var summary = await DemoRun.RunAsync(DetectionTestSettings.For(LabScenarios.March12), azurite.ConnectionString, output, output, limit.Token);
        log.WriteLine(output.ToString());
        log.WriteLine(summary.Format());

        var opened = Assert.Single(summary.Opened).Incident;
        Assert.Equal((IncidentScope.Region, LabRegion.CaCentral), (opened.Scope, opened.Region));
        Assert.Equal(ProbeOutcome.Timeout, opened.LeadingOutcome);
        Assert.InRange(summary.EvaluationsToDetect!.Value, 1, 4);
        Assert.Contains("NodeBalancer improvements", opened.ProviderMaintenance, StringComparison.Ordinal);
        Assert.DoesNotContain(summary.Events, e => e.Incident.Region == LabRegion.UsEast || e.Incident.Targets.Any(t => t.StartsWith("us-", StringComparison.Ordinal)));
        var resolved = Assert.Single(summary.Resolved);
        Assert.Equal(opened.Id, resolved.Incident.Id);
        Assert.True(resolved.At > summary.FaultEnd, "resolved only after the faults cleared");

        Assert.Equal(LabRegionOptions.DefaultVantages.Order(StringComparer.Ordinal), summary.AvailabilityByVantage.Keys.Order(StringComparer.Ordinal));
        Assert.All(summary.AvailabilityByVantage.Values, count => Assert.True(count > 0));
        Assert.True(summary.TelemetryEvents.GetValueOrDefault("SyntheticsIncidentOpened") >= 1, "the receiver got SyntheticsIncidentOpened");
        Assert.Contains("[LKE Synthetics] OPENED", output.ToString(), StringComparison.Ordinal);
    }
}
