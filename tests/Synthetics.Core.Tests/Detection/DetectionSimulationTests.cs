using Synthetics.Detection;
using Synthetics.Results;

namespace Synthetics.Core.Tests.Detection;

/// <summary>
/// Minutes of synthetic results through the whole detection chain (window → verdicts → scope → incidents) at the shipped
/// cadence, as the evaluator runs it: each vantage stores one cycle a minute with one run of every probe and a disruption
/// sampler run of 36 samples, and each evaluation judges the newest cycle within the last three (the window) against the
/// thirty minutes before (the baseline).
/// A seeded random failure per run gives the March-12 shape against healthy noise.
/// </summary>
public sealed class DetectionSimulationTests
{
    private static readonly string[] Vantages = ["asia-east", "eu-west", "us-central"];
    private static readonly (string Target, string Region)[] Targets = [("ca-prod-api", "ca-central"), ("ca-staging-api", "ca-central"), ("us-prod-api", "us-east")];

    /// <summary>Simulates <paramref name="minutes"/> evaluations; <paramref name="failureRate"/> gives each run's failure chance.</summary>
    private static List<IncidentEvent> Simulate(int minutes, int seed, Func<int, string, double> failureRate)
    {
        var options = new DetectionOptions();
        var windowCycles = (int)(options.Window / TimeSpan.FromMinutes(1));
        var baselineCycles = (int)(options.BaselineWindow / TimeSpan.FromMinutes(1));
        var random = new Random(seed);
        var cycles = new List<List<ProbeResult>>();
        IReadOnlyList<Incident> tracked = [];
        var events = new List<IncidentEvent>();
        for (var minute = 0; minute < minutes; minute++)
        {
            var at = ResultFactory.Start.AddMinutes(minute);
            var cycle = new List<ProbeResult>();
            foreach (var (target, region) in Targets)
            {
                foreach (var vantage in Vantages)
                {
                    foreach (var result in ResultFactory.Window(target, region, vantage, at, runsPerProbe: 1))
                    {
                        var failed = random.NextDouble() < failureRate(minute, region);
                        cycle.Add(failed ? result with { Outcome = random.NextDouble() < 0.73 ? ProbeOutcome.Timeout : ProbeOutcome.Reset } : result);
                    }

                    var sampled = Enumerable.Range(0, 36).Count(_ => random.NextDouble() < failureRate(minute, region));
                    cycle.Add(ResultFactory.Sample(target, region, vantage, at.AddSeconds(1), failures: sampled));
                }
            }

            cycles.Add(cycle);
            var window = cycles.TakeLast(windowCycles).SelectMany(c => c).ToList();
            var baseline = cycles.SkipLast(windowCycles).TakeLast(baselineCycles).SelectMany(c => c).ToList();
            var fresh = Vantages.ToDictionary(v => v, _ => at, StringComparer.Ordinal);
            var verdicts = WindowEvaluator.Evaluate(window, baseline, options, fresh);
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
    public void March12_StallsAndResetsInOneRegion_OneRegionalIncidentWithinFiveEvaluationsThenResolved(int seed)
    {
        const int onset = 10, end = 40;
        var events = Simulate(60, seed, (minute, region) => region == "ca-central" && minute is >= onset and < end ? 0.11 : 0.002);

        var opened = Assert.Single(events, e => e.Kind == IncidentEventKind.Opened);
        Assert.Equal("ca-central", opened.Incident.Region);
        Assert.Contains(opened.Incident.LeadingOutcome, new ProbeOutcome?[] { ProbeOutcome.Timeout, ProbeOutcome.Reset });
        // Regional when it opens, or later while the fault lasts, once the second target's failures show from two vantages
        // (four runs per vantage and cycle show a share of failing connections thinly).
        var regional = events.First(e => e.Incident.Scope == IncidentScope.Region);
        Assert.InRange(regional.At, opened.At, ResultFactory.Start.AddMinutes(end));
        // The first faulty cycle is judged a minute after it starts: its samples are overwhelming evidence, which opens the
        // incident at once; the second bad evaluation opens it otherwise.
        Assert.InRange(opened.At, ResultFactory.Start.AddMinutes(onset + 1), ResultFactory.Start.AddMinutes(onset + 3));
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
