using Synthetics.Detection;
using Synthetics.Results;

namespace Synthetics.Core.Tests.Detection;

/// <summary>
/// Minutes of synthetic results through the whole detection chain (window → verdicts → scope → incidents), with a
/// seeded random failure per run: the March-12 shape against healthy noise.
/// </summary>
public sealed class DetectionSimulationTests
{
    private static readonly string[] Vantages = ["asia-east", "eu-west", "us-central"];
    private static readonly (string Target, string Region)[] Targets = [("ca-prod-api", "ca-central"), ("ca-staging-api", "ca-central"), ("us-prod-api", "us-east")];

    /// <summary>Simulates <paramref name="minutes"/> evaluations; <paramref name="failureRate"/> gives each run's failure chance.</summary>
    private static List<IncidentEvent> Simulate(int minutes, int seed, Func<int, string, double> failureRate)
    {
        var options = new DetectionOptions();
        var random = new Random(seed);
        IReadOnlyList<Incident> tracked = [];
        var events = new List<IncidentEvent>();
        for (var minute = 0; minute < minutes; minute++)
        {
            var at = ResultFactory.Start.AddMinutes(minute);
            var window = new List<ProbeResult>();
            foreach (var (target, region) in Targets)
            {
                foreach (var vantage in Vantages)
                {
                    foreach (var result in ResultFactory.Window(target, region, vantage, at))
                    {
                        var failed = random.NextDouble() < failureRate(minute, region);
                        window.Add(failed ? result with { Outcome = random.NextDouble() < 0.73 ? ProbeOutcome.Timeout : ProbeOutcome.Reset } : result);
                    }
                }
            }

            var verdicts = WindowEvaluator.Evaluate(window, [], options);
            (tracked, var produced) = IncidentTracker.Advance(
                tracked, ScopeClassifier.Classify(verdicts, options, IncidentTracker.RegionsUnderIncident(tracked)), at.AddMinutes(1), options);
            events.AddRange(produced);
        }

        return events;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void March12_StallsAndResetsInOneRegion_OneRegionalIncidentWithinFourEvaluationsThenResolved(int seed)
    {
        const int onset = 10, end = 40;
        var events = Simulate(60, seed, (minute, region) => region == "ca-central" && minute is >= onset and < end ? 0.11 : 0.002);

        var opened = Assert.Single(events, e => e.Kind == IncidentEventKind.Opened);
        Assert.Equal(IncidentScope.Region, opened.Incident.Scope);
        Assert.Equal("ca-central", opened.Incident.Region);
        Assert.Equal(ProbeOutcome.Timeout, opened.Incident.LeadingOutcome);
        Assert.InRange(opened.At, ResultFactory.Start.AddMinutes(onset + 1), ResultFactory.Start.AddMinutes(onset + 4));
        Assert.DoesNotContain(events, e => e.Incident.Targets.Contains("us-prod-api"));
        var resolved = Assert.Single(events, e => e.Kind == IncidentEventKind.Resolved);
        Assert.Equal(opened.Incident.Id, resolved.Incident.Id);
        Assert.True(resolved.At > ResultFactory.Start.AddMinutes(end));
    }

    [Fact]
    public void Healthy_DayOfNoise_OpensNothing()
    {
        var events = Simulate(24 * 60, seed: 7, (_, _) => 0.003);

        Assert.Empty(events);
    }
}
