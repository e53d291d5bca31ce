using Synthetics.Detection;
using Synthetics.Results;

namespace Synthetics.Core.Tests.Detection;

public sealed class IncidentTrackerTests
{
    private static readonly DetectionOptions Options = new() { OpenAfter = 2, ResolveAfter = 3 };
    private static readonly DateTimeOffset T0 = ResultFactory.Start;

    private static Finding Regional(params string[] vantages) => new(
        IncidentScope.Region, "region:ca-central", "ca-central", ["ca-prod-api"], vantages, HealthState.Degraded,
        ProbeOutcome.Timeout, new Dictionary<ProbeOutcome, int> { [ProbeOutcome.Timeout] = 5 }, [], "degraded");

    /// <summary>Runs evaluations one minute apart, each with the given findings; returns every event.</summary>
    private static List<IncidentEvent> Run(params Finding[][] evaluations)
    {
        IReadOnlyList<Incident> tracked = [];
        var events = new List<IncidentEvent>();
        for (var i = 0; i < evaluations.Length; i++)
        {
            (tracked, var produced) = IncidentTracker.Advance(tracked, evaluations[i], T0.AddMinutes(i), Options);
            events.AddRange(produced);
        }

        return events;
    }

    private static Finding OnTarget(string target, params string[] vantages) => new(
        IncidentScope.Target, $"target:{target}", "ca-central", [target], vantages, HealthState.Degraded,
        ProbeOutcome.Timeout, new Dictionary<ProbeOutcome, int> { [ProbeOutcome.Timeout] = 3 }, [], "degraded");

    [Fact]
    public void Advance_TargetThenRegionThenTarget_OpensOneRegionalIncidentFromTheFirstSighting()
    {
        // March-12's shape: the second target reaches the thresholds in some windows only.
        var events = Run([OnTarget("ca-prod-api", "eu-west", "us-central")], [Regional("eu-west", "us-central")], [OnTarget("ca-prod-api", "eu-west")]);

        var opened = Assert.Single(events);
        Assert.Equal(IncidentEventKind.Opened, opened.Kind);
        Assert.Equal((IncidentScope.Region, "region:ca-central@20260312T140100Z", T0), (opened.Incident.Scope, opened.Incident.Id, opened.Incident.FirstSeenAt));
    }

    [Fact]
    public void Advance_OpenTargetIncidentSpreadsToTheRegion_UpdatesItToRegionalAndResolvesOnce()
    {
        var target = OnTarget("ca-prod-api", "eu-west", "us-central");
        var events = Run([target], [target], [Regional("eu-west", "us-central")], [target], [], [], []);

        Assert.Equal(
            [IncidentEventKind.Opened, IncidentEventKind.Updated, IncidentEventKind.Resolved],
            events.Select(e => e.Kind));
        Assert.Equal(IncidentScope.Region, events[1].Incident.Scope);
        Assert.Single(events.Select(e => e.Incident.Id).Distinct());
    }

    [Fact]
    public void Advance_FindingTwiceInARow_OpensOnceAtTheSecond()
    {
        var events = Run([Regional("eu-west", "us-central")], [Regional("eu-west", "us-central")], [Regional("eu-west", "us-central")]);

        var opened = Assert.Single(events);
        Assert.Equal(IncidentEventKind.Opened, opened.Kind);
        Assert.Equal(T0.AddMinutes(1), opened.At);
        Assert.Equal(T0, opened.Incident.FirstSeenAt);
        Assert.Equal("region:ca-central@20260312T140100Z", opened.Incident.Id);
    }

    [Fact]
    public void Advance_SingleBadEvaluation_NeverOpens()
    {
        Assert.Empty(Run([Regional("eu-west", "us-central")], [], [Regional("eu-west", "us-central")], []));
    }

    [Fact]
    public void Advance_AnotherVantageAgrees_UpdatesTheOpenIncident()
    {
        var events = Run([Regional("eu-west", "us-central")], [Regional("eu-west", "us-central")], [Regional("asia-east", "eu-west")]);

        Assert.Equal([IncidentEventKind.Opened, IncidentEventKind.Updated], events.Select(e => e.Kind));
        Assert.Equal(["asia-east", "eu-west", "us-central"], events[1].Incident.Vantages);
    }

    [Fact]
    public void Advance_GoodEvaluations_ResolveOnlyAfterEnoughInARow()
    {
        var bad = new[] { Regional("eu-west", "us-central") };
        var events = Run(bad, bad, [], [], bad, [], [], []);

        Assert.Equal([IncidentEventKind.Opened, IncidentEventKind.Resolved], events.Select(e => e.Kind));
        Assert.Equal(T0.AddMinutes(7), events[1].Incident.ResolvedAt);
        Assert.Equal(events[0].Incident.Id, events[1].Incident.Id);
    }
}
