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
        var settings = DetectionTestSettings.For(LabScenarios.VantageBlip) with { Duration = TimeSpan.FromSeconds(75) };

        var (summary, _) = await DetectionTestSettings.PlayAsync(settings, azurite.ConnectionString, log, TimeSpan.FromMinutes(3));

        // The lab blips the region's second vantage by default.
        var blipped = LabRegionOptions.DefaultVantages[1];
        Assert.DoesNotContain(summary.Events, e => e.Incident.Scope is IncidentScope.Target or IncidentScope.Region);
        var vantageIncident = Assert.Single(summary.Opened).Incident;
        Assert.Equal(IncidentScope.Vantage, vantageIncident.Scope);
        Assert.Equal([blipped], vantageIncident.Vantages);
    }

    [Fact]
    public async Task Demo_Healthy_OpensNoTargetOrRegionIncident()
    {
        var settings = DetectionTestSettings.For(LabScenarios.Healthy) with { Duration = TimeSpan.FromSeconds(40) };

        var (summary, _) = await DetectionTestSettings.PlayAsync(settings, azurite.ConnectionString, log, TimeSpan.FromMinutes(2));

        Assert.DoesNotContain(summary.Events, e => e.Incident.Scope is IncidentScope.Target or IncidentScope.Region);
        Assert.True(summary.Evaluations.Count >= 2, $"evaluated {summary.Evaluations.Count} times");
        Assert.Equal(3, summary.AvailabilityByVantage.Count);
    }
}
