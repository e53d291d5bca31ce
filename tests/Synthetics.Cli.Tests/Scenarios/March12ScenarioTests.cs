using Synthetics.Cli.Demo;
using Synthetics.Detection;
using Synthetics.Lab.Scenarios;
using Synthetics.Results;
using Xunit.Abstractions;

namespace Synthetics.Cli.Tests.Scenarios;

/// <summary>
/// March-12 on the lab: every ca-central NodeBalancer stalls 8% and resets 3% of new connections during a status-page
/// maintenance, us-east untouched. One regional incident, fast, named after the maintenance, resolved after.
/// </summary>
[Collection(LabScenarioGroup.Name)]
[Trait("Category", LabScenarioGroup.Category)]
public sealed class March12ScenarioTests(LabScenarioRuns runs, ITestOutputHelper output)
{
    private const string CaCentral = "provider:ca-central";

    private Task<DemoSummary> Summary() => runs.SummaryOf(LabScenarios.March12, output);

    [Fact]
    public async Task March12_OpensOneProviderIncidentForCaCentral_AndNothingElse()
    {
        var summary = await Summary();

        var opened = Assert.Single(summary.Opened);
        Assert.Equal(CaCentral, opened.Incident.Key);
        Assert.Equal("ca-central", opened.Incident.Region);
        Assert.Equal(HealthState.Degraded, opened.Incident.State);
    }

    [Fact]
    public async Task March12_IncidentIsRegionalWithinFourEvaluationsOfTheOnset()
    {
        var summary = await Summary();

        var regional = summary.Events.FirstOrDefault(e => e.Incident.Key == CaCentral && e.Incident.Scope == IncidentScope.Region);
        Assert.NotNull(regional);
        Assert.Equal(["ca-prod-api", "ca-web"], regional.Incident.Targets.Where(t => t != "ca-web-tcp"));
        Assert.True(regional.At > summary.Onset);
        var evaluations = summary.Evaluations.Count(at => at > summary.Onset && at <= regional.At);
        Assert.InRange(evaluations, 1, 4);
    }

    [Fact]
    public async Task March12_LeadingOutcomeIsTimeout_SeenFromEveryVantage()
    {
        var summary = await Summary();

        var incident = summary.Events.Last(e => e.Incident.Key == CaCentral).Incident;
        Assert.Equal(ProbeOutcome.Timeout, incident.LeadingOutcome);
        Assert.Equal(["asia-east", "eu-west", "us-central"], incident.Vantages);
    }

    [Fact]
    public async Task March12_IncidentNamesTheProvidersMaintenance()
    {
        var summary = await Summary();

        var opened = Assert.Single(summary.Opened, e => e.Incident.Key == CaCentral);
        Assert.NotNull(opened.Incident.ProviderMaintenance);
        Assert.Contains("NodeBalancer improvements", opened.Incident.ProviderMaintenance, StringComparison.Ordinal);
        Assert.Contains("CA-Central (Toronto) NodeBalancers", opened.Incident.ProviderMaintenance, StringComparison.Ordinal);
    }

    [Fact]
    public async Task March12_UsEastIsUntouched()
    {
        var summary = await Summary();

        Assert.DoesNotContain(summary.Events, e => e.Incident.Region == "us-east" || e.Incident.Targets.Contains("us-prod-api"));
    }

    [Fact]
    public async Task March12_ResolvesAfterTheFaultsClear()
    {
        var summary = await Summary();

        var resolved = Assert.Single(summary.Resolved);
        Assert.Equal(CaCentral, resolved.Incident.Key);
        Assert.True(resolved.At > summary.FaultEnd, $"resolved {resolved.At:HH:mm:ss}, faults cleared {summary.FaultEnd:HH:mm:ss}");
    }

    [Fact]
    public async Task March12_ApplicationInsightsReceivesEveryVantagesResultsAndTheIncidentEvents()
    {
        var summary = await Summary();

        Assert.Equal(["asia-east", "eu-west", "us-central"], summary.AvailabilityByVantage.Keys.Order(StringComparer.Ordinal));
        Assert.All(summary.AvailabilityByVantage.Values, count => Assert.True(count > 100, $"{count} availability results"));
        Assert.Equal(1, summary.TelemetryEvents.GetValueOrDefault("SyntheticsIncidentOpened"));
        Assert.Equal(1, summary.TelemetryEvents.GetValueOrDefault("SyntheticsIncidentResolved"));
    }
}
