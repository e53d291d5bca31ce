using Synthetics.Detection;
using Synthetics.Results;

namespace Synthetics.Core.Tests.Detection;

public sealed class IncidentTrackerTests
{
    private static readonly DetectionOptions Options = new() { OpenAfter = 2, ResolveAfter = 3 };
    private static readonly DateTimeOffset T0 = ResultFactory.Start;

    private static Finding Regional(params string[] vantages) => new(
        IncidentScope.Region, "provider:ca-central", "ca-central", ["ca-prod-api", "ca-web"], vantages, HealthState.Degraded,
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

    [Fact]
    public void Advance_FindingTwiceInARow_OpensOnceAtTheSecond()
    {
        var events = Run([Regional("eu-west", "us-central")], [Regional("eu-west", "us-central")], [Regional("eu-west", "us-central")]);

        var opened = Assert.Single(events);
        Assert.Equal(IncidentEventKind.Opened, opened.Kind);
        Assert.Equal(T0.AddMinutes(1), opened.At);
        Assert.Equal(T0, opened.Incident.FirstSeenAt);
        Assert.Equal("provider:ca-central@20260312T140100Z", opened.Incident.Id);
    }

    [Fact]
    public void Advance_FindingBeyondChanceOverTheLongWindow_OpensAtTheFirst()
    {
        var events = Run([Regional("eu-west", "us-central") with { OverLongWindow = true }], [Regional("eu-west", "us-central")]);

        var opened = Assert.Single(events);
        Assert.Equal(IncidentEventKind.Opened, opened.Kind);
        Assert.Equal(T0, opened.At);
    }

    [Fact]
    public void Advance_FindingOverTheLongWindowWithoutNewEvidence_OpensNothing()
    {
        Assert.Empty(Run([Regional("eu-west", "us-central") with { OverLongWindow = true, HasNewEvidence = false }]));
    }

    [Fact]
    public void OpenAtOnce_OverwhelmingFinding_OpensItAndLeavesEveryOtherIncidentAsItWas()
    {
        var vantage = new Finding(
            IncidentScope.Vantage, "vantage:eu-west", null, ["ca-prod-api"], ["eu-west"], HealthState.Down, ProbeOutcome.Timeout,
            new Dictionary<ProbeOutcome, int>(), [], "eu-west lost its path");
        var us = Regional("eu-west", "us-central") with { Key = "provider:us-east", Region = "us-east" };
        // One open incident a good evaluation away from resolving, one candidate with a streak of one.
        var (tracked, _) = IncidentTracker.Advance([], [us], T0, Options);
        (tracked, _) = IncidentTracker.Advance(tracked, [us], T0.AddMinutes(1), Options);
        (tracked, _) = IncidentTracker.Advance(tracked, [], T0.AddMinutes(2), Options);
        (tracked, _) = IncidentTracker.Advance(tracked, [vantage], T0.AddMinutes(3), Options);
        var before = tracked;

        var (after, events) = IncidentTracker.OpenAtOnce(
            before, [Regional("eu-west", "us-central") with { Overwhelming = true }, Regional("x") with { Key = "provider:other" }, us with { Overwhelming = true }],
            T0.AddMinutes(3).AddSeconds(20), Options);

        var opened = Assert.Single(events);
        Assert.Equal(IncidentEventKind.Opened, opened.Kind);
        Assert.Equal("provider:ca-central@20260312T140320Z", opened.Incident.Id);
        Assert.Equal(T0.AddMinutes(3).AddSeconds(20), opened.Incident.FirstSeenAt);
        Assert.Equal(2, before.Single(i => i.Key == "provider:us-east").GoodStreak);
        // The open us-east incident is not opened again, nor moved toward resolving; nothing that is not beyond doubt is tracked.
        Assert.Equal(before.Single(i => i.Key == "provider:us-east"), after.Single(i => i.Key == "provider:us-east"));
        Assert.Equal(before.Single(i => i.Key == "vantage:eu-west"), after.Single(i => i.Key == "vantage:eu-west"));
        Assert.Equal(["provider:ca-central", "provider:us-east", "vantage:eu-west"], after.Select(i => i.Key));
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

    private static Finding OneTarget(string target) => new(
        IncidentScope.Target, "provider:ca-central", "ca-central", [target], ["eu-west", "us-central"], HealthState.Degraded,
        ProbeOutcome.Timeout, new Dictionary<ProbeOutcome, int> { [ProbeOutcome.Timeout] = 3 }, [], "degraded");

    [Fact]
    public void Advance_OpenRegionThenOnlyOneOfItsTargetsAgreed_StaysOneOpenRegionalIncident()
    {
        // March-12 with few probes per target: some minutes only the control plane is agreed bad, not a second target.
        var region = new[] { Regional("eu-west", "us-central") };
        var target = new[] { OneTarget("ca-prod-api") };

        var events = Run(region, region, target, target, target, region, [], [], []);

        Assert.Equal([IncidentEventKind.Opened, IncidentEventKind.Resolved], events.Select(e => e.Kind));
        Assert.All(events, e => Assert.Equal(IncidentScope.Region, e.Incident.Scope));
        Assert.Equal(T0.AddMinutes(8), events[1].At);
    }

    [Fact]
    public void Advance_TargetThenAnotherTargetOfTheRegion_OneIncidentUpgradedToRegionalNotASecondPage()
    {
        var events = Run([OneTarget("ca-prod-api")], [OneTarget("ca-prod-api")], [OneTarget("ca-web")]);

        Assert.Equal([IncidentEventKind.Opened, IncidentEventKind.Updated], events.Select(e => e.Kind));
        Assert.Equal(IncidentScope.Target, events[0].Incident.Scope);
        Assert.Equal(IncidentScope.Region, events[1].Incident.Scope);
        Assert.Equal(["ca-prod-api", "ca-web"], events[1].Incident.Targets);
        Assert.Equal(events[0].Incident.Id, events[1].Incident.Id);
    }
}
