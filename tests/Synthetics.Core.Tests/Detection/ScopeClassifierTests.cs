using Synthetics.Detection;
using Synthetics.Results;
using static Synthetics.Core.Tests.Detection.ResultFactory;

namespace Synthetics.Core.Tests.Detection;

public sealed class ScopeClassifierTests
{
    private static readonly DetectionOptions Options = new();
    private static readonly string[] Vantages = ["asia-east", "eu-west", "us-central"];

    private static IReadOnlyList<Finding> Classify(IEnumerable<ProbeResult> window) =>
        ScopeClassifier.Classify(WindowEvaluator.Evaluate([.. window], [], Options), Options);

    private static IEnumerable<ProbeResult> Everywhere(string target, string region, int failures = 0, ProbeOutcome outcome = ProbeOutcome.Timeout) =>
        Vantages.SelectMany(v => Window(target, region, v, Start, failures: failures, outcome: outcome));

    [Fact]
    public void Classify_AllHealthy_FindsNothing()
    {
        Assert.Empty(Classify(Everywhere("ca-prod-api", "ca-central").Concat(Everywhere("us-prod-api", "us-east"))));
    }

    [Fact]
    public void Classify_TwoTargetsOfOneRegionBadFromEveryVantage_IsOneRegionalFinding()
    {
        var findings = Classify(Everywhere("ca-prod-api", "ca-central", failures: 5)
            .Concat(Everywhere("ca-staging-api", "ca-central", failures: 4))
            .Concat(Everywhere("us-prod-api", "us-east")));

        var finding = Assert.Single(findings);
        Assert.Equal(IncidentScope.Region, finding.Scope);
        Assert.Equal("region:ca-central", finding.Key);
        Assert.Equal(["ca-prod-api", "ca-staging-api"], finding.Targets);
        Assert.Equal(Vantages, finding.Vantages);
        Assert.Equal(HealthState.Degraded, finding.State);
        Assert.Equal(ProbeOutcome.Timeout, finding.LeadingOutcome);
        Assert.Contains("27 of 288 probe runs failed", finding.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_OneTargetBadFromSeveralVantages_IsTargetFinding()
    {
        var findings = Classify(Everywhere("ca-prod-api", "ca-central", failures: 6).Concat(Everywhere("ca-web", "ca-central")));

        var finding = Assert.Single(findings);
        Assert.Equal(IncidentScope.Target, finding.Scope);
        Assert.Equal("target:ca-prod-api", finding.Key);
    }

    [Fact]
    public void Classify_RegionalFaultSeenOnASecondTargetFromOneVantage_IsOneRegionalFindingNotAVantage()
    {
        // March-12's shape: a share of connections stall, so ca-web fails from asia-east only in this window.
        var window = Everywhere("ca-prod-api", "ca-central", failures: 5)
            .Concat(Vantages.SelectMany(v => Window("ca-web", "ca-central", v, Start, failures: v == "asia-east" ? 4 : 0)))
            .Concat(Everywhere("us-prod-api", "us-east"));

        var finding = Assert.Single(Classify(window));

        Assert.Equal(IncidentScope.Region, finding.Scope);
        Assert.Equal("region:ca-central", finding.Key);
        Assert.Equal(["ca-prod-api", "ca-web"], finding.Targets);
    }

    [Fact]
    public void Classify_OneVantageAloneSeesFailures_IsThatVantagesHealthNotTheTargets()
    {
        var blip = Vantages.SelectMany(v => Window("ca-prod-api", "ca-central", v, Start, failures: v == "eu-west" ? 48 : 0))
            .Concat(Vantages.SelectMany(v => Window("us-prod-api", "us-east", v, Start, failures: v == "eu-west" ? 48 : 0)));

        var finding = Assert.Single(Classify(blip));

        Assert.Equal(IncidentScope.Vantage, finding.Scope);
        Assert.Equal("vantage:eu-west", finding.Key);
        Assert.Equal(["ca-prod-api", "us-prod-api"], finding.Targets);
        Assert.Null(finding.Region);
        Assert.Equal(HealthState.Down, finding.State);
    }

    [Fact]
    public void Classify_VantageStoppedReporting_IsVantageFindingWithoutOutcome()
    {
        var baseline = Vantages.SelectMany(v => Window("ca-prod-api", "ca-central", v, Start.AddMinutes(-2)));
        var window = Vantages.Where(v => v != "asia-east").SelectMany(v => Window("ca-prod-api", "ca-central", v, Start));

        var findings = ScopeClassifier.Classify(WindowEvaluator.Evaluate([.. window], [.. baseline], Options), Options);

        var finding = Assert.Single(findings);
        Assert.Equal("vantage:asia-east", finding.Key);
        Assert.Null(finding.LeadingOutcome);
        Assert.Contains("stopped reporting", finding.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_SingleVantageDeployment_TreatsItsViewAsTheTarget()
    {
        var findings = Classify(Window("ca-prod-api", "ca-central", "only", Start, failures: 5));

        Assert.Equal(IncidentScope.Target, Assert.Single(findings).Scope);
    }
}
