using Synthetics.Core.Tests.Support;
using Synthetics.Probes;
using Synthetics.Probes.Sampling;
using Synthetics.Results;

namespace Synthetics.Core.Tests.Probes.Sampling;

public sealed class DisruptionSummaryTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 12, 14, 0, 0, TimeSpan.Zero);

    private static ProbeContext Context() => new(
        ProbeHarness.PlainHttp(80), "test-vantage", TimeProvider.System, new ProbingOptions());

    private static DisruptionSample Ok(int second, double totalMs, bool slow = false) => new(
        Start.AddSeconds(second), ProbeOutcome.Ok, null,
        new ProbePhases { ConnectMs = totalMs / 10, TlsMs = totalMs / 2, TtfbMs = totalMs / 4 }, totalMs, slow, "10.0.0.1", null, null);

    private static DisruptionSample Failed(int second, ProbeOutcome outcome, ProbePhase? phase = ProbePhase.Connect) => new(
        Start.AddSeconds(second), outcome, phase, new ProbePhases { ConnectMs = 1 }, 5, false, null, null, null);

    [Fact]
    public void Write_HundredSuccesses_ReportsNearestRankPercentilesAndMedianPhases()
    {
        var context = Context();
        var samples = Enumerable.Range(1, 100).Reverse().Select(i => Ok(i, i)).ToList();

        var observation = DisruptionSummary.Write(context, DisruptionSeries.New, samples);

        Assert.Equal(ProbeOutcome.Ok, observation.Outcome);
        Assert.Equal(100, context.Details["attempts"]);
        Assert.Equal(0, context.Details["failures"]);
        Assert.Equal(50d, context.Details["totalP50Ms"]);
        Assert.Equal(90d, context.Details["totalP90Ms"]);
        Assert.Equal(99d, context.Details["totalP99Ms"]);
        Assert.Equal(100d, context.Details["totalMaxMs"]);
        Assert.Equal(5d, context.Details["connectP50Ms"]);
        Assert.Equal(49.5, context.Details["tlsP99Ms"]);
        Assert.Equal(25d, context.Details["ttfbMaxMs"]);
        var phases = context.Phases.ToPhases();
        Assert.Equal(5d, phases.ConnectMs);
        Assert.Equal(25d, phases.TlsMs);
        Assert.Equal(12.5, phases.TtfbMs);
        Assert.Equal("10.0.0.1", context.RemoteAddress);
    }

    [Fact]
    public void Write_FailuresTied_LeadsWithTheEarliestAndExcludesThemFromPercentiles()
    {
        var context = Context();
        DisruptionSample[] samples =
        [
            Ok(0, 10), Failed(1, ProbeOutcome.Reset), Failed(2, ProbeOutcome.Timeout, ProbePhase.Tls), Ok(3, 30, slow: true),
            Failed(4, ProbeOutcome.Timeout, null), Failed(5, ProbeOutcome.Reset),
        ];

        var observation = DisruptionSummary.Write(context, DisruptionSeries.Reused, samples);

        Assert.Equal(ProbeOutcome.Reset, observation.Outcome);
        Assert.Equal("4 of 6 kept-connection samples failed (reset 2, timeout 2)", observation.Message);
        Assert.Equal("reused", context.Details["series"]);
        Assert.Equal(6, context.Details["attempts"]);
        Assert.Equal(4, context.Details["failures"]);
        Assert.Equal(2, context.Details["failures.reset"]);
        Assert.Equal(2, context.Details["failures.timeout"]);
        Assert.Equal(1, context.Details["slowSamples"]);
        Assert.Equal(30d, context.Details["totalMaxMs"]);
        Assert.Equal(
            ["2026-03-12T14:00:01Z|reset|connect|-|-|-", "2026-03-12T14:00:02Z|timeout|tls|-|-|-", "2026-03-12T14:00:04Z|timeout|-|-|-|-", "2026-03-12T14:00:05Z|reset|connect|-|-|-"],
            (string[])context.Details["failedSamples"]);
    }

    [Fact]
    public void Write_MoreFailuresThanTheCap_ListsTheFirstAndCountsTheRest()
    {
        var context = Context();
        var samples = Enumerable.Range(0, DisruptionSummary.MaxFailedSamples + 5).Select(i => Failed(i, ProbeOutcome.Timeout)).ToList();

        var observation = DisruptionSummary.Write(context, DisruptionSeries.New, samples);

        Assert.Equal(ProbeOutcome.Timeout, observation.Outcome);
        Assert.Equal(DisruptionSummary.MaxFailedSamples, ((string[])context.Details["failedSamples"]).Length);
        Assert.Equal(5, context.Details["failedSamplesDropped"]);
        Assert.False(context.Details.ContainsKey("totalP50Ms"));
        Assert.Null(context.Phases.ToPhases().ConnectMs);
    }

    [Fact]
    public void Describe_KubernetesFailure_NamesAuditIdAndEcho()
    {
        var sample = new DisruptionSample(Start, ProbeOutcome.Reset, ProbePhase.Ttfb, ProbePhases.None, 3, false, "10.0.0.1", "6f1c", false);

        Assert.Equal("2026-03-12T14:00:00Z|reset|ttfb|10.0.0.1|6f1c|false", DisruptionSummary.Describe(sample));
    }
}
