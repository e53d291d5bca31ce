using Microsoft.Extensions.Time.Testing;
using Synthetics.Core.Tests.Support;
using Synthetics.Lab.Sockets;
using Synthetics.Probes;
using Synthetics.Results;
using Synthetics.Targets;

namespace Synthetics.Core.Tests.Probes;

public sealed class ProbeCycleRunnerTests(PkiFixture fixture) : IClassFixture<PkiFixture>
{
    private readonly TestPki _pki = fixture.Pki;

    [Fact]
    public async Task RunAsync_MixedTargets_ReturnsAResultForEveryPlannedProbe()
    {
        await using var healthy = ScriptedServer.Start(async (c, t) =>
        {
            await c.AuthenticateAsync(_pki.Valid, t);
            await c.ReadRequestHeadAsync(t);
            await c.RespondAsync(200, "ok", t);
        });
        await using var stalled = ScriptedServer.Start((c, t) => c.StallAsync(t));
        var targets = new[]
        {
            ProbeHarness.Https(healthy.Port, _pki),
            ProbeHarness.PlainHttp(stalled.Port, timeoutSeconds: 0.3),
            Rename(ProbeHarness.PlainHttp(FreePort.Take()), "closed"),
        };

        var report = await ProbeHarness.Runner().RunAsync(targets, CancellationToken.None);

        Assert.Equal(3 + 2 + 2, report.Planned);
        Assert.Equal(report.Planned, report.Results.Count);
        Assert.All(report.Results.Where(r => r.Target == "web"), r => Assert.Equal(ProbeOutcome.Ok, r.Outcome));
        Assert.Equal(ProbeOutcome.Timeout, report.Results.Single(r => r.Target == "plain" && r.Probe == "http").Outcome);
        Assert.All(report.Results.Where(r => r.Target == "closed"), r => Assert.Equal(ProbeOutcome.Refused, r.Outcome));
        Assert.False(report.CancelledByHost);
    }

    [Fact]
    public async Task RunAsync_CatalogWithAnUnresolvedTarget_ReportsItNotProbedAndProbesTheOthers()
    {
        var unresolved = new UnresolvedTarget(
            "ca-prod-api", TargetKind.KubernetesApi, "ca-central", "KubeconfigContent",
            "KubeconfigContent is a Key Vault reference the platform did not resolve", new Dictionary<string, string> { ["cluster"] = "prod" });
        var catalog = new TargetCatalog([Rename(ProbeHarness.PlainHttp(FreePort.Take()), "closed")], [unresolved]);

        var report = await ProbeHarness.Runner().RunAsync(catalog, CancellationToken.None);

        Assert.Equal(2 + 1, report.Planned);
        Assert.Equal(report.Planned, report.Results.Count);
        Assert.All(report.Results.Where(r => r.Target == "closed"), r => Assert.Equal(ProbeOutcome.Refused, r.Outcome));
        var notProbed = Assert.Single(report.Results, r => r.Target == "ca-prod-api");
        Assert.Equal((UnresolvedTarget.Probe, ProbeOutcome.Error, "ca-central", "KubernetesApi"), (notProbed.Probe, notProbed.Outcome, notProbed.Region, notProbed.TargetKind));
        Assert.Equal(report.StartedAt, notProbed.Timestamp);
        Assert.Equal("not probed: KubeconfigContent is a Key Vault reference the platform did not resolve", notProbed.Message);
        Assert.Equal("KubeconfigContent", notProbed.Details["field"]);
        Assert.Equal("prod", notProbed.Details["label.cluster"]);
        Assert.True(Results.ProbeResultJsonTests.ContractSchema.Evaluate(System.Text.Json.Nodes.JsonNode.Parse(ProbeResultJson.Serialize(notProbed))).IsValid);
    }

    [Fact]
    public async Task RunAsync_ManyTargets_NeverExceedsMaxConcurrency()
    {
        var probe = new CountingProbe();
        var targets = Enumerable.Range(0, 24).Select(i => Only(Rename(ProbeHarness.PlainHttp(1), $"t{i}"), "counting")).ToList();
        var options = ProbeHarness.Options(p => p.MaxConcurrency = 4);

        var report = await ProbeHarness.Runner(options, probes: [probe]).RunAsync(targets, CancellationToken.None);

        Assert.Equal(24, report.Results.Count);
        Assert.All(report.Results, r => Assert.Equal(ProbeOutcome.Ok, r.Outcome));
        Assert.Equal(4, probe.MaxInFlight);
    }

    [Fact]
    public async Task RunAsync_CycleBudgetRunsOut_CutsInFlightAndReportsQueuedAsNotRun()
    {
        await using var stalled = ScriptedServer.Start((c, t) => c.StallAsync(t));
        var targets = Enumerable.Range(0, 3).Select(i => Rename(ProbeHarness.PlainHttp(stalled.Port, timeoutSeconds: 30), $"t{i}")).ToList();
        var options = ProbeHarness.Options(p =>
        {
            p.MaxConcurrency = 1;
            p.CycleBudgetSeconds = 0.5;
        });

        var report = await ProbeHarness.Runner(options).RunAsync(
            targets.Select(t => Only(t, "http")).ToList(), CancellationToken.None);

        Assert.Equal(3, report.Results.Count);
        var cut = Assert.Single(report.Results, r => r.Outcome == ProbeOutcome.Timeout);
        Assert.StartsWith("cut by the cycle budget", cut.Message, StringComparison.Ordinal);
        Assert.Equal(2, report.Results.Count(r => r.Details.ContainsKey("notRun")));
        Assert.True(report.Duration < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task RunAsync_HostCancels_StopsWithoutThrowingOrInventingResults()
    {
        await using var stalled = ScriptedServer.Start((c, t) => c.StallAsync(t));
        var targets = new[] { Only(ProbeHarness.PlainHttp(stalled.Port, timeoutSeconds: 30), "http") };
        using var host = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var report = await ProbeHarness.Runner().RunAsync(targets, host.Token);

        Assert.True(report.CancelledByHost);
        Assert.Empty(report.Results);
    }

    [Fact]
    public async Task RunOneAsync_ProbeIgnoringCancellation_IsAbandonedAsTimeout()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-12T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var probe = new StubbornProbe();
        var runner = ProbeHarness.Runner(time: time, probes: [probe]);
        var target = Only(ProbeHarness.PlainHttp(1, timeoutSeconds: 2), "stubborn");

        var run = runner.RunOneAsync(target, probe, CancellationToken.None, CancellationToken.None);
        await probe.Started.Task;
        time.Advance(TimeSpan.FromSeconds(3));
        var result = await run;

        Assert.NotNull(result);
        Assert.Equal(ProbeOutcome.Timeout, result.Outcome);
        Assert.Equal("no answer within 2 s", result.Message);
        Assert.Equal(DateTimeOffset.Parse("2026-03-12T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture), result.Timestamp);
    }

    [Theory]
    [InlineData(3000, true)]
    [InlineData(250, false)]
    public async Task RunAsync_AProcessThatGoesUnscheduled_MarksItsCycleStalled(int unscheduledMs, bool stalled)
    {
        var time = new RecordingTimeProvider();
        var probe = new HeldProbe();
        var runner = ProbeHarness.Runner(time: time, probes: [probe]);
        var watchTick = TimeSpan.FromMilliseconds(new ProbingOptions().StallThresholdMs) / 4;

        var cycle = runner.RunAsync([Only(ProbeHarness.PlainHttp(1, timeoutSeconds: 10), "held")], CancellationToken.None);
        await probe.Started.Task;
        await time.WaitForScheduledAsync(watchTick);
        time.Advance(TimeSpan.FromMilliseconds(unscheduledMs));
        await time.WaitForScheduledAsync(watchTick, 2);
        probe.Release.SetResult();
        var report = await cycle;

        Assert.Equal(stalled, report.Stalled);
        Assert.Equal(TimeSpan.FromMilliseconds(unscheduledMs) - watchTick, report.LongestStall);
        Assert.Equal(ProbeOutcome.Ok, Assert.Single(report.Results).Outcome);
    }

    [Fact]
    public async Task RunOneAsync_ProbeThrowsUnexpectedly_IsErrorNotACrash()
    {
        var probe = new ThrowingProbe();
        var runner = ProbeHarness.Runner(probes: [probe]);

        var result = await runner.RunOneAsync(Only(ProbeHarness.PlainHttp(1), "throwing"), probe, CancellationToken.None, CancellationToken.None);

        Assert.NotNull(result);
        Assert.Equal(ProbeOutcome.Error, result.Outcome);
        // The type goes to the debug log; the result says what it can in words.
        Assert.DoesNotContain("Exception", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOneAsync_TargetLabels_AreCopiedIntoDetails()
    {
        await using var server = ScriptedServer.Start((c, t) => c.StallAsync(t));
        var target = new Target
        {
            Name = "labelled",
            Kind = TargetKind.Tcp,
            Region = "us-east",
            Endpoint = new TargetEndpoint("127.0.0.1", server.Port, false),
            Timeout = TimeSpan.FromSeconds(2),
            SlowThreshold = TimeSpan.FromSeconds(2),
            Probes = new HashSet<string> { "tcp" },
            Labels = new Dictionary<string, string> { ["cluster"] = "prod" },
        };

        var result = await ProbeHarness.RunAsync(target, "tcp");

        Assert.Equal("prod", result.Details["label.cluster"]);
        Assert.Equal("Tcp", result.TargetKind);
        Assert.Equal("us-east", result.Region);
        Assert.Equal("test-vantage", result.Vantage);
    }

    private static Target Rename(Target target, string name) => target with { Name = name };

    private static Target Only(Target target, string probe) => target with { Probes = new HashSet<string> { probe } };

    private sealed class HeldProbe : IProbe
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "held";

        public bool AppliesTo(TargetKind kind, TargetEndpoint endpoint) => true;

        public async ValueTask<ProbeObservation> RunAsync(ProbeContext context, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            return ProbeObservation.Ok;
        }
    }

    private sealed class StubbornProbe : IProbe
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "stubborn";

        public bool AppliesTo(TargetKind kind, TargetEndpoint endpoint) => true;

        public async ValueTask<ProbeObservation> RunAsync(ProbeContext context, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            await new TaskCompletionSource().Task; // never completes, never looks at the token
            return ProbeObservation.Ok;
        }
    }

    private sealed class CountingProbe : IProbe
    {
        private int _inFlight;
        private int _max;

        public int MaxInFlight => _max;

        public string Name => "counting";

        public bool AppliesTo(TargetKind kind, TargetEndpoint endpoint) => true;

        public async ValueTask<ProbeObservation> RunAsync(ProbeContext context, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _inFlight);
            lock (this)
            {
                _max = Math.Max(_max, now);
            }

            await Task.Delay(20, cancellationToken);
            Interlocked.Decrement(ref _inFlight);
            return ProbeObservation.Ok;
        }
    }

    private sealed class ThrowingProbe : IProbe
    {
        public string Name => "throwing";

        public bool AppliesTo(TargetKind kind, TargetEndpoint endpoint) => true;

        public ValueTask<ProbeObservation> RunAsync(ProbeContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("bug");
    }
}
