using System.Text.Json.Nodes;
using Synthetics.Alerts;
using Synthetics.Detection;
using Synthetics.Results;

namespace Synthetics.Core.Tests.Alerts;

public sealed class IncidentNoticeTests
{
    private static readonly DateTimeOffset Onset = new(2026, 3, 12, 14, 1, 0, TimeSpan.Zero);

    private static readonly Incident Regional = new()
    {
        Id = "region:ca-central@20260312T140200Z",
        Key = "region:ca-central",
        Scope = IncidentScope.Region,
        Region = "ca-central",
        Targets = ["ca-prod-api", "ca-staging-api"],
        Vantages = ["eu-west", "us-central"],
        State = HealthState.Degraded,
        LeadingOutcome = ProbeOutcome.Timeout,
        Outcomes = new Dictionary<ProbeOutcome, int> { [ProbeOutcome.Reset] = 6, [ProbeOutcome.Timeout] = 17 },
        Summary = "degraded: 23 of 288 probe runs failed (8%), mostly timeout on ca-prod-api, ca-staging-api from eu-west, us-central",
        FirstSeenAt = Onset,
        OpenedAt = Onset.AddMinutes(1),
    };

    [Fact]
    public void Subject_RegionalOpened_SaysRegionStateAndSeverity()
    {
        var subject = IncidentNotice.Subject(new IncidentEvent(IncidentEventKind.Opened, Regional, Onset.AddMinutes(1)));

        Assert.Equal("[LKE Synthetics] OPENED sev1: region ca-central degraded", subject);
    }

    [Fact]
    public void Body_OverlappingMaintenance_NamesItAndTheNextStep()
    {
        var withMaintenance = Regional with { ProviderMaintenance = "NodeBalancer improvements (in_progress) on CA-Central (Toronto) NodeBalancers" };
        var body = IncidentNotice.Body(new IncidentEvent(IncidentEventKind.Opened, withMaintenance, Onset.AddMinutes(1)));

        Assert.Contains("Outcomes:  timeout 17, reset 6", body, StringComparison.Ordinal);
        Assert.Contains("Seen from: eu-west, us-central", body, StringComparison.Ordinal);
        Assert.Contains("Since:     2026-03-12 14:01 UTC", body, StringComparison.Ordinal);
        Assert.Contains("Provider:  maintenance NodeBalancer improvements (in_progress) on CA-Central (Toronto) NodeBalancers", body, StringComparison.Ordinal);
        Assert.Contains("citing the maintenance above", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Body_NamesTheIncidentIdAndHowToGetItsEvidence()
    {
        var body = IncidentNotice.Body(new IncidentEvent(IncidentEventKind.Opened, Regional, Onset.AddMinutes(1)));

        Assert.Contains("Incident:  region:ca-central@20260312T140200Z", body, StringComparison.Ordinal);
        Assert.Contains("Evidence:  dotnet run --project functions/Synthetics.Cli -- evidence --config synthetics.json --incident 'region:ca-central@20260312T140200Z' --out evidence.html", body, StringComparison.Ordinal);
        Assert.Contains("GET /api/evidence?incident=region%3Aca-central%4020260312T140200Z", body, StringComparison.Ordinal);
    }

    [Fact]
    public void EvidenceCommand_IdWithAQuote_StaysOneShellWord()
    {
        var command = IncidentNotice.EvidenceCommand(Regional with { Id = "target:it's@1" });

        Assert.Contains("--incident 'target:it'\\''s@1'", command, StringComparison.Ordinal);
    }

    [Fact]
    public void Body_ResolvedWithMaintenance_SaysTheStatusIsAsSeenWhenItOpened()
    {
        var resolved = Regional with
        {
            ProviderMaintenance = "NodeBalancer improvements (in_progress) on CA-Central (Toronto) NodeBalancers",
            ResolvedAt = Onset.AddMinutes(40),
        };
        var body = IncidentNotice.Body(new IncidentEvent(IncidentEventKind.Resolved, resolved, Onset.AddMinutes(40)));

        Assert.Contains("Provider:  maintenance NodeBalancer improvements (in_progress) on CA-Central (Toronto) NodeBalancers, as the status page showed it when the incident opened", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Body_NoOverlappingMaintenance_SaysSoByOmission()
    {
        var body = IncidentNotice.Body(new IncidentEvent(IncidentEventKind.Opened, Regional, Onset.AddMinutes(1)));

        Assert.DoesNotContain("Provider:", body, StringComparison.Ordinal);
        Assert.Contains("check the workbook", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_IncidentEvent_IsTheRunCommandContractLine()
    {
        var line = IncidentEventJson.Serialize(new IncidentEvent(IncidentEventKind.Opened, Regional, Onset.AddMinutes(1)));

        var node = JsonNode.Parse(line)!;
        Assert.Equal("incident", node["type"]!.GetValue<string>());
        Assert.Equal("opened", node["event"]!.GetValue<string>());
        Assert.Equal("region:ca-central@20260312T140200Z", node["id"]!.GetValue<string>());
        Assert.Equal("region", node["scope"]!.GetValue<string>());
        Assert.Equal("ca-central", node["region"]!.GetValue<string>());
        Assert.Equal(["ca-prod-api", "ca-staging-api"], node["targets"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("degraded", node["state"]!.GetValue<string>());
        Assert.Equal("timeout", node["leadingOutcome"]!.GetValue<string>());
        Assert.Equal("2026-03-12T14:02:00Z", node["openedAt"]!.GetValue<string>());
        Assert.Equal("2026-03-12T14:02:00Z", node["at"]!.GetValue<string>());
        Assert.DoesNotContain('\n', line);
    }
}
