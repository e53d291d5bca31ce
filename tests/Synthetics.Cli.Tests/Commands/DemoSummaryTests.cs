using Synthetics.Cli.Demo;
using Synthetics.Detection;
using Synthetics.Results;

namespace Synthetics.Cli.Tests.Commands;

public sealed class DemoSummaryTests
{
    private static readonly DateTimeOffset Onset = new(2026, 3, 12, 14, 0, 0, TimeSpan.Zero);

    private static Incident Incident(IncidentScope scope, DateTimeOffset? resolvedAt = null) => new()
    {
        Id = "provider:ca-central@20260312T140040Z",
        Key = "provider:ca-central",
        Scope = scope,
        Region = "ca-central",
        Targets = scope == IncidentScope.Region ? ["ca-prod-api", "ca-web"] : ["ca-prod-api"],
        State = HealthState.Degraded,
        LeadingOutcome = ProbeOutcome.Timeout,
        FirstSeenAt = Onset.AddSeconds(20),
        OpenedAt = Onset.AddSeconds(40),
        ResolvedAt = resolvedAt,
    };

    private static DemoSummary Summary(params IncidentEvent[] events) => new(
        "march-12", Onset, Onset.AddSeconds(90), events,
        [Onset.AddSeconds(-5), Onset.AddSeconds(20), Onset.AddSeconds(40), Onset.AddSeconds(65)], 60,
        new Dictionary<string, int> { ["eu-west"] = 320 }, new Dictionary<string, int> { ["SyntheticsIncidentOpened"] = 1 });

    [Fact]
    public void Format_IncidentWidenedToRegion_ShowsTheScopeItOpenedWithAndWhenItWidened()
    {
        var summary = Summary(
            new IncidentEvent(IncidentEventKind.Opened, Incident(IncidentScope.Target), Onset.AddSeconds(40)),
            new IncidentEvent(IncidentEventKind.Updated, Incident(IncidentScope.Region), Onset.AddSeconds(65)),
            new IncidentEvent(IncidentEventKind.Resolved, Incident(IncidentScope.Region, Onset.AddSeconds(150)), Onset.AddSeconds(150)));

        var text = summary.Format();

        Assert.Contains("scope target → region at 14:01:05 ca-central, degraded, leading timeout, opened 14:00:40 (40 s after onset), resolved 14:02:30 (60 s after the faults cleared)", text, StringComparison.Ordinal);
        Assert.Contains("detection latency (target): 40 s from onset, 2 evaluations", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_NothingOpened_SaysSo()
    {
        Assert.Contains("incidents: none opened", Summary().Format(), StringComparison.Ordinal);
    }
}
