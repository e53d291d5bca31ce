using Synthetics.Cli.Demo;
using Synthetics.Lab.Scenarios;
using Xunit.Abstractions;

namespace Synthetics.Cli.Tests.Scenarios;

/// <summary>healthy on the lab: nothing goes wrong, so nothing may open.</summary>
[Collection(LabScenarioGroup.Name)]
[Trait("Category", LabScenarioGroup.Category)]
public sealed class HealthyScenarioTests(LabScenarioRuns runs, ITestOutputHelper output)
{
    private Task<DemoSummary> Summary() => runs.SummaryOf(LabScenarios.Healthy, output);

    [Fact]
    public async Task Healthy_OpensNoIncidentOfAnyScope()
    {
        var summary = await Summary();

        Assert.Empty(summary.Events);
        Assert.True(summary.Evaluations.Count >= 4, $"{summary.Evaluations.Count} evaluations");
    }

    [Fact]
    public async Task Healthy_ApplicationInsightsReceivesAsManyResultsFromEveryVantage()
    {
        var summary = await Summary();

        Assert.Equal(["asia-east", "eu-west", "us-central"], summary.AvailabilityByVantage.Keys.Order(StringComparer.Ordinal));
        var most = summary.AvailabilityByVantage.Values.Max();
        // The vantages stop together; one may be a cycle behind, no more.
        Assert.All(summary.AvailabilityByVantage.Values, count => Assert.InRange(count, most * 0.9, most));
        Assert.True(most > 100, $"{most} availability results");
    }
}
