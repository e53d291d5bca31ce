using Synthetics.Cli.Demo;
using Synthetics.Core.Tests.Support;
using Synthetics.Detection;
using Synthetics.Lab.Region;
using Synthetics.Lab.Scenarios;
using Xunit.Abstractions;

namespace Synthetics.Cli.Tests.Detection;

/// <summary>The monitor's own trouble must not page the provider's on-call: one vantage blips, nothing else.</summary>
public sealed class VantageBlipDetectionTests(AzuriteFixture azurite, ITestOutputHelper log) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Demo_VantageBlip_ReportsTheVantageAndNoTargetOrRegionIncident()
    {
        var output = new StringWriter();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var settings = DetectionTestSettings.For(LabScenarios.VantageBlip) with { Duration = TimeSpan.FromSeconds(75) };

        var summary = await DemoRun.RunAsync(settings, azurite.ConnectionString, output, output, limit.Token);
        log.WriteLine(output.ToString());
        log.WriteLine(summary.Format());

        // The lab blips the region's second vantage by default.
        var blipped = LabRegionOptions.DefaultVantages[1];
        Assert.DoesNotContain(summary.Events, e => e.Incident.Scope is IncidentScope.Target or IncidentScope.Region);
        var vantageIncident = Assert.Single(summary.Opened).Incident;
        Assert.Equal(IncidentScope.Vantage, vantageIncident.Scope);
        Assert.Equal([blipped], vantageIncident.Vantages);
    }

    [Fact]
    public async Task Demo_Healthy_OpensNoIncident()
    {
        var output = new StringWriter();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var settings = DetectionTestSettings.For(LabScenarios.Healthy) with { Duration = TimeSpan.FromSeconds(40) };

        var summary = await DemoRun.RunAsync(settings, azurite.ConnectionString, output, output, limit.Token);
        log.WriteLine(output.ToString());

        Assert.Empty(summary.Events);
        Assert.True(summary.Evaluations.Count >= 2, $"evaluated {summary.Evaluations.Count} times");
        Assert.Equal(3, summary.AvailabilityByVantage.Count);
    }
}
