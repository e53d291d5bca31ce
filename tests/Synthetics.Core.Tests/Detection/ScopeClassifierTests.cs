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

    /// <summary>
    /// The findings when asia-east and eu-west went silent after a healthy baseline, and us-central alone reports
    /// ca-prod-api and us-prod-api with that many of their 48 runs refused.
    /// </summary>
    private static IReadOnlyList<Finding> SeenFromUsCentralAlone(int caCentralFailures, int usEastFailures)
    {
        var baseline = Vantages.SelectMany(v => Window("ca-prod-api", "ca-central", v, Start.AddMinutes(-2))
            .Concat(Window("us-prod-api", "us-east", v, Start.AddMinutes(-2))));
        var window = Window("ca-prod-api", "ca-central", "us-central", Start, failures: caCentralFailures, outcome: ProbeOutcome.Refused)
            .Concat(Window("us-prod-api", "us-east", "us-central", Start, failures: usEastFailures, outcome: ProbeOutcome.Refused));
        return ScopeClassifier.Classify(WindowEvaluator.Evaluate([.. window], [.. baseline], Options, silent: ["asia-east", "eu-west"]), Options);
    }

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
        Assert.Equal("provider:ca-central", finding.Key);
        Assert.Equal(["ca-prod-api", "ca-staging-api"], finding.Targets);
        Assert.Equal(Vantages, finding.Vantages);
        Assert.Equal(HealthState.Degraded, finding.State);
        Assert.Equal(ProbeOutcome.Timeout, finding.LeadingOutcome);
        Assert.Contains("27 of 288 requests failed", finding.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_OneTargetBadFromSeveralVantages_IsTargetFinding()
    {
        var findings = Classify(Everywhere("ca-prod-api", "ca-central", failures: 6).Concat(Everywhere("ca-web", "ca-central")));

        var finding = Assert.Single(findings);
        Assert.Equal(IncidentScope.Target, finding.Scope);
        Assert.Equal("provider:ca-central", finding.Key); // one key per region whatever the scope
        Assert.Equal(["ca-prod-api"], finding.Targets);
    }

    [Fact]
    public void Classify_AnotherTargetOfTheRegionFailingThinlyFromTwoVantages_JoinsAsOneRegionalFinding()
    {
        // One failure in 48 runs is under the degraded threshold from each vantage; from two, beside an agreed problem, it corroborates.
        var thin = Vantages.SelectMany(v => Window("ca-web", "ca-central", v, Start, failures: v == "asia-east" ? 0 : 1, outcome: ProbeOutcome.Reset));
        var findings = Classify(Everywhere("ca-prod-api", "ca-central", failures: 6).Concat(thin).Concat(Everywhere("us-prod-api", "us-east")));

        var finding = Assert.Single(findings);
        Assert.Equal(IncidentScope.Region, finding.Scope);
        Assert.Equal("provider:ca-central", finding.Key);
        Assert.Equal(["ca-prod-api", "ca-web"], finding.Targets);
        Assert.Equal(18, finding.Outcomes[ProbeOutcome.Timeout]);
        Assert.Equal(2, finding.Outcomes[ProbeOutcome.Reset]);
    }

    [Fact]
    public void Classify_AnotherTargetOfTheRegionFailingOnceFromOneVantage_StaysTargetScope()
    {
        var once = Vantages.SelectMany(v => Window("ca-web", "ca-central", v, Start, failures: v == "eu-west" ? 1 : 0));
        var findings = Classify(Everywhere("ca-prod-api", "ca-central", failures: 6).Concat(once));

        var finding = Assert.Single(findings);
        Assert.Equal(IncidentScope.Target, finding.Scope);
        Assert.Equal(["ca-prod-api"], finding.Targets);
    }

    [Fact]
    public void Classify_ThinFailuresInARegionWithoutAnAgreedProblem_FindNothing()
    {
        var thin = Vantages.SelectMany(v => Window("ca-web", "ca-central", v, Start, failures: 1));

        Assert.Empty(Classify(thin.Concat(Everywhere("ca-prod-api", "ca-central"))));
    }

    [Fact]
    public void Classify_ThinFailuresInAnotherRegion_DoNotJoinTheAgreedRegion()
    {
        var thin = Vantages.SelectMany(v => Window("us-prod-api", "us-east", v, Start, failures: 1));
        var findings = Classify(Everywhere("ca-prod-api", "ca-central", failures: 6).Concat(thin));

        var finding = Assert.Single(findings);
        Assert.Equal("provider:ca-central", finding.Key);
        Assert.Equal(["ca-prod-api"], finding.Targets);
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
    public void Classify_LoneBadVerdictInARegionTheProviderFails_IsNotBlamedOnTheVantage()
    {
        // ca-prod-api agreed bad by every vantage; ca-web bad from eu-west alone, same region, same minute.
        var window = Everywhere("ca-prod-api", "ca-central", failures: 6)
            .Concat(Vantages.SelectMany(v => Window("ca-web", "ca-central", v, Start, failures: v == "eu-west" ? 6 : 0)));

        var finding = Assert.Single(Classify(window));

        Assert.Equal("provider:ca-central", finding.Key);
    }

    [Fact]
    public void Classify_LoneBadVerdictInARegionUnderIncident_IsAbsorbed()
    {
        var window = Vantages.SelectMany(v => Window("ca-web", "ca-central", v, Start, failures: v == "eu-west" ? 6 : 0));

        var findings = ScopeClassifier.Classify(WindowEvaluator.Evaluate([.. window], [], Options), Options, new HashSet<string> { "ca-central" });

        Assert.Empty(findings);
    }

    [Fact]
    public void Classify_VantageStoppedReporting_IsVantageFindingWithoutOutcome()
    {
        var baseline = Vantages.SelectMany(v => Window("ca-prod-api", "ca-central", v, Start.AddMinutes(-2)));
        var window = Vantages.Where(v => v != "asia-east").SelectMany(v => Window("ca-prod-api", "ca-central", v, Start));

        var findings = ScopeClassifier.Classify(WindowEvaluator.Evaluate([.. window], [.. baseline], Options, silent: ["asia-east"]), Options);

        var finding = Assert.Single(findings);
        Assert.Equal("vantage:asia-east", finding.Key);
        Assert.Null(finding.LeadingOutcome);
        Assert.Contains("stopped reporting", finding.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_OneVantageFailsEverythingWhileOthersHaveASlowRunEach_IsThatVantagesHealth()
    {
        // us-central lost its path; the others each had one slow run (their own noise). Failures and slowness are judged
        // apart, so these never add up to a provider-side problem.
        var window = Vantages.SelectMany(v => Window("ca-prod-api", "ca-central", v, Start, runsPerProbe: 3,
            failures: v == "us-central" ? 12 : v == "eu-west" ? 1 : 0, outcome: v == "us-central" ? ProbeOutcome.Timeout : ProbeOutcome.Slow))
            .ToList();
        window.AddRange(Window("ca-prod-api", "ca-central", "asia-east", Start.AddSeconds(1), runsPerProbe: 1, failures: 1, outcome: ProbeOutcome.Slow).Take(1));

        var finding = Assert.Single(Classify(window));

        Assert.Equal("vantage:us-central", finding.Key);
    }

    [Fact]
    public void Classify_LastReportingVantageReachesNothingAnywhereWhileTheOthersAreSilent_IsItsOwnHealthNotTheProviders()
    {
        // asia-east and eu-west are down (no cycles); us-central lost its only path: every run to every region fails.
        var findings = SeenFromUsCentralAlone(caCentralFailures: 48, usEastFailures: 48);

        Assert.Equal(["vantage:asia-east", "vantage:eu-west", "vantage:us-central"], findings.Select(f => f.Key));
        Assert.All(findings, f => Assert.Equal(IncidentScope.Vantage, f.Scope));
        Assert.Equal(["ca-prod-api", "us-prod-api"], findings.Single(f => f.Key == "vantage:us-central").Targets);
    }

    [Fact]
    public void Classify_LastReportingVantageSeesOneRegionFailWhileTheOthersAreSilent_BlamesTheProvider()
    {
        // The same lone vantage, but its path works: us-east answers, ca-central does not. A regional fault is the
        // provider's, even seen from one vantage when it is the only one left.
        var findings = SeenFromUsCentralAlone(caCentralFailures: 48, usEastFailures: 0);

        Assert.Contains(findings, f => f.Key == "provider:ca-central" && f.Vantages.SequenceEqual(["us-central"]));
        Assert.DoesNotContain(findings, f => f.Key == "vantage:us-central");
    }

    [Fact]
    public void Classify_OneVantageReachesNothingAnywhereWhileTheOthersSeeAProviderFault_StillTheProvidersFault()
    {
        var window = Vantages.SelectMany(v => Window("ca-prod-api", "ca-central", v, Start, failures: v == "us-central" ? 48 : 6)
            .Concat(Window("us-prod-api", "us-east", v, Start, failures: v == "us-central" ? 48 : 0)));

        var findings = Classify(window);

        var provider = Assert.Single(findings, f => f.Scope != IncidentScope.Vantage);
        Assert.Equal("provider:ca-central", provider.Key);
        Assert.Equal(["asia-east", "eu-west"], provider.Vantages);
        Assert.Contains(findings, f => f.Key == "vantage:us-central");
    }

    [Fact]
    public void Classify_AFewSlowRunsFromEveryVantage_AreNoise()
    {
        var window = Vantages.SelectMany(v => Window("ca-prod-api", "ca-central", v, Start, runsPerProbe: 3, failures: 4, outcome: ProbeOutcome.Slow));

        Assert.Empty(Classify(window));
    }

    [Fact]
    public void Classify_SlowFromEveryVantage_IsProviderSideLatency()
    {
        // Most of each vantage's runs slow: a few slow runs are any path's noise, most of them is the target.
        var window = Vantages.SelectMany(v => Window("ca-prod-api", "ca-central", v, Start, runsPerProbe: 3, failures: 8, outcome: ProbeOutcome.Slow));

        var finding = Assert.Single(Classify(window));

        Assert.Equal("provider:ca-central", finding.Key);
        Assert.Equal(ProbeOutcome.Slow, finding.LeadingOutcome);
        Assert.Equal(Vantages, finding.Vantages);
    }

    [Fact]
    public void Classify_EveryVantageSlowTowardEveryRegionAtOnce_IsTheVantagesOwnHealthNotTheProviders()
    {
        // The monitor stalled (a host starved of CPU): every probe everywhere slowed. No provider is slow in every region.
        var window = Vantages.SelectMany(v => Window("ca-prod-api", "ca-central", v, Start, runsPerProbe: 3, failures: 8, outcome: ProbeOutcome.Slow)
            .Concat(Window("us-prod-api", "us-east", v, Start, runsPerProbe: 3, failures: 8, outcome: ProbeOutcome.Slow)));

        var findings = Classify(window);

        Assert.Equal(Vantages.Select(v => $"vantage:{v}"), findings.Select(f => f.Key));
    }

    [Fact]
    public void Classify_SingleVantageDeployment_TreatsItsViewAsTheTarget()
    {
        var findings = Classify(Window("ca-prod-api", "ca-central", "only", Start, failures: 5));

        Assert.Equal(IncidentScope.Target, Assert.Single(findings).Scope);
    }
}
