using Synthetics.Detection;
using Synthetics.Results;
using static Synthetics.Core.Tests.Detection.ResultFactory;

namespace Synthetics.Core.Tests.Detection;

public sealed class WindowEvaluatorTests
{
    private static readonly DetectionOptions Options = new();

    private static VantageVerdict Single(IEnumerable<ProbeResult> window, IEnumerable<ProbeResult>? baseline = null) =>
        Assert.Single(WindowEvaluator.Evaluate([.. window], [.. baseline ?? []], Options));

    [Fact]
    public void Evaluate_AllOk_IsHealthy()
    {
        var verdict = Single(Window("ca-prod-api", "ca-central", "eu-west", Start));

        Assert.Equal(HealthState.Healthy, verdict.State);
        Assert.Equal(48, verdict.Runs);
        Assert.Equal(0, verdict.Failures);
    }

    [Fact]
    public void Evaluate_March12ShareOfStallsAndResets_IsDegradedWithOutcomeBreakdown()
    {
        // 8% of new connections stall, 3% reset: about 4 and 1 of 48 runs.
        var window = Window("ca-prod-api", "ca-central", "eu-west", Start, failures: 4, outcome: ProbeOutcome.Timeout).ToList();
        window[^1] = window[^1] with { Outcome = ProbeOutcome.Reset };

        var verdict = Single(window);

        Assert.Equal(HealthState.Degraded, verdict.State);
        Assert.Equal(4, verdict.Outcomes[ProbeOutcome.Timeout]);
        Assert.Equal(1, verdict.Outcomes[ProbeOutcome.Reset]);
    }

    [Fact]
    public void Evaluate_OneBlip_StaysHealthy()
    {
        Assert.Equal(HealthState.Healthy, Single(Window("t", "r", "v", Start, failures: 1)).State);
    }

    [Fact]
    public void Evaluate_EverythingFails_IsDown()
    {
        Assert.Equal(HealthState.Down, Single(Window("t", "r", "v", Start, failures: 48, outcome: ProbeOutcome.Refused)).State);
    }

    [Fact]
    public void Evaluate_SlowerThanOwnBaseline_IsDegradedNamingTheProbe()
    {
        var baseline = Window("t", "r", "v", Start.AddMinutes(-10), durationMs: 20);
        var window = Window("t", "r", "v", Start, durationMs: 400);

        var verdict = Single(window, baseline);

        Assert.Equal(HealthState.Degraded, verdict.State);
        Assert.Contains(verdict.SlowProbes, s => s.Probe == "kube-health" && s.P90Ms == 400 && s.BaselineMedianMs == 20);
    }

    [Fact]
    public void Evaluate_SlowButWithinFloor_StaysHealthy()
    {
        var baseline = Window("t", "r", "v", Start.AddMinutes(-10), durationMs: 2);
        var window = Window("t", "r", "v", Start, durationMs: 30); // 15× slower, but only 28 ms

        Assert.Equal(HealthState.Healthy, Single(window, baseline).State);
    }

    [Fact]
    public void Evaluate_SilentVantage_IsNoDataOnEveryTarget()
    {
        var baseline = Window("t", "r", "silent", Start.AddMinutes(-5));
        var window = Window("t", "r", "eu-west", Start);

        var verdicts = WindowEvaluator.Evaluate([.. window], [.. baseline], Options, silent: ["silent"]);

        Assert.Equal(HealthState.NoData, verdicts.Single(v => v.Vantage == "silent").State);
        Assert.Equal(HealthState.Healthy, verdicts.Single(v => v.Vantage == "eu-west").State);
    }

    [Fact]
    public void Evaluate_VantageWithNothingNewAndNotSilent_IsNotJudged()
    {
        // A cycle still running or still being stored is not silence: that vantage simply has no verdict this time.
        var baseline = Window("t", "r", "late", Start.AddMinutes(-1));
        var window = Window("t", "r", "eu-west", Start);

        var verdicts = WindowEvaluator.Evaluate([.. window], [.. baseline], Options);

        Assert.Equal("eu-west", Assert.Single(verdicts).Vantage);
    }

    [Fact]
    public void Evaluate_OneRunPerProbeSlowerThanItsBaseline_EachSlowRunCountsAsBad()
    {
        var baseline = Window("t", "r", "v", Start.AddMinutes(-10), runsPerProbe: 10, durationMs: 20);
        var window = Window("t", "r", "v", Start, runsPerProbe: 1, durationMs: 720);

        var verdict = Single(window, baseline);

        Assert.Equal(HealthState.Degraded, verdict.State);
        Assert.Equal(4, verdict.SlowRuns);
        Assert.Equal(ResultFactory.Probes.Order(StringComparer.Ordinal), verdict.SlowProbes.Select(p => p.Probe));
        Assert.Equal(0, verdict.FailedAttempts); // nothing failed: slow against its own history
        Assert.Equal([ProbeOutcome.Slow], verdict.Outcomes.Keys);
    }

    [Fact]
    public void Evaluate_BadRunsBeforeFreshSince_AreNotFresh()
    {
        var window = Window("t", "r", "v", Start, failures: 6).ToList();
        var freshFrom = Start.AddSeconds(30);

        var verdict = Assert.Single(WindowEvaluator.Evaluate(window, [], Options, new Dictionary<string, DateTimeOffset> { ["v"] = freshFrom }));

        Assert.Equal(6, verdict.Failures);
        Assert.Equal(window.Count(r => !r.Success && r.Timestamp >= freshFrom), verdict.FreshFailures);
    }

    [Fact]
    public void Evaluate_ProbesNotRunForBudget_DoNotCountAgainstTheTarget()
    {
        var window = Window("t", "r", "v", Start).ToList();
        for (var i = 0; i < 10; i++)
        {
            window[i] = window[i] with { Outcome = ProbeOutcome.Error, Details = new Dictionary<string, object> { ["notRun"] = true } };
        }

        var verdict = Single(window);

        Assert.Equal(HealthState.Healthy, verdict.State);
        Assert.Equal(38, verdict.Runs);
    }
}
