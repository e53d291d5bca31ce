using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Synthetics.Configuration;
using Synthetics.Core.Tests.Support;
using Synthetics.Lab.Sockets;
using Synthetics.Probes;
using Synthetics.Probes.Sampling;
using Synthetics.Results;
using Synthetics.Targets;

namespace Synthetics.Core.Tests.Probes.Sampling;

/// <summary>
/// The disruption sampler through the real cycle runner against servers on 127.0.0.1: what each series counts, where each
/// failure happened, and that a stalled sample never holds back the next tick. Counts, never wall-clock speed.
/// </summary>
public sealed class DisruptionSamplerTests(PkiFixture fixture) : IClassFixture<PkiFixture>
{
    private readonly TestPki _pki = fixture.Pki;

    private static SyntheticsOptions Sampling(double intervalSeconds, double periodSeconds, string series = "new,reused") =>
        ProbeHarness.Options(probing =>
        {
            probing.Sampling.IntervalSeconds = intervalSeconds;
            probing.Sampling.PeriodSeconds = periodSeconds;
            probing.Sampling.Series = series;
        });

    private static Target Only(Target target, params string[] probes) => target with { Probes = probes.ToHashSet(StringComparer.Ordinal) };

    private static async Task<ProbeResult> RunAsync(Target target, string probe, SyntheticsOptions options, TimeProvider? time = null)
    {
        var runner = ProbeHarness.Runner(options, time);
        var instance = SyntheticsServiceCollectionExtensions.BuiltInProbes().Single(p => p.Name == probe);
        var result = await Task.Run(() => runner.RunOneAsync(target, instance, CancellationToken.None, CancellationToken.None));
        return result ?? throw new InvalidOperationException("no result without host cancellation");
    }

    /// <summary>Answers every request of a connection (kept alive) with 200, after a TLS handshake; resets every <paramref name="resetEvery"/>th connection at once.</summary>
    private ScriptedServer Https(int resetEvery = 0)
    {
        var accepted = 0;
        return ScriptedServer.Start(async (connection, token) =>
        {
            if (resetEvery > 0 && Interlocked.Increment(ref accepted) % resetEvery == 0)
            {
                connection.Reset();
                return;
            }

            await connection.AuthenticateAsync(_pki.Valid, token);
            while (await connection.ReadRequestHeadAsync(token) is not null)
            {
                await connection.RespondAsync(200, "ok", token);
            }
        });
    }

    private static string[] FailedSamples(ProbeResult result) =>
        result.Details.TryGetValue("failedSamples", out var value) ? (string[])value : [];

    [Fact]
    public async Task NewAndReused_ServerResettingEveryFourthConnection_NewFailsAQuarterReusedNone()
    {
        await using var fresh = Https(resetEvery: 4);
        await using var kept = Https(resetEvery: 4);
        var options = Sampling(intervalSeconds: 0.1, periodSeconds: 0.8);

        var newResult = await RunAsync(Only(ProbeHarness.Https(fresh.Port, _pki), "disruption-new"), "disruption-new", options);
        var reusedResult = await RunAsync(Only(ProbeHarness.Https(kept.Port, _pki), "disruption-reused"), "disruption-reused", options);

        Assert.Equal("disruption-new", newResult.Probe);
        Assert.Equal(ProbeOutcome.Reset, newResult.Outcome);
        Assert.Equal("new", newResult.Details["series"]);
        Assert.Equal(8, newResult.Details["attempts"]);
        Assert.Equal(2, newResult.Details["failures"]);
        Assert.Equal(2, newResult.Details["failures.reset"]);
        Assert.Equal(8, fresh.Accepted);
        Assert.All(FailedSamples(newResult), entry => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\|reset\|(connect|tls)\|127\.0\.0\.1\|-\|-$", entry));
        Assert.Equal(2, FailedSamples(newResult).Length);
        Assert.NotNull(newResult.Phases.ConnectMs);
        Assert.NotNull(newResult.Phases.TlsMs);
        Assert.True(newResult.Details.ContainsKey("tlsP99Ms"));

        Assert.Equal(ProbeOutcome.Ok, reusedResult.Outcome);
        Assert.Equal("reused", reusedResult.Details["series"]);
        Assert.Equal(8, reusedResult.Details["attempts"]);
        Assert.Equal(0, reusedResult.Details["failures"]);
        Assert.False(reusedResult.Details.ContainsKey("failedSamples"));
        Assert.Equal(1, kept.Accepted);
        Assert.Equal("127.0.0.1", reusedResult.RemoteAddress);
    }

    [Fact]
    public async Task New_StalledSample_DoesNotDelayTheNextTicks()
    {
        var accepted = 0;
        var closed = 0;
        var stalling = 0;
        await using var server = ScriptedServer.Start(async (connection, token) =>
        {
            if (Interlocked.Increment(ref accepted) == 1)
            {
                Volatile.Write(ref stalling, 1);
                await connection.StallAsync(token);
                return;
            }

            await connection.AuthenticateAsync(_pki.Valid, token);
            while (await connection.ReadRequestHeadAsync(token) is not null)
            {
                await connection.RespondAsync(200, "ok", token);
            }

            // The sample closed its connection: it has its answer, and the fake clock may jump.
            Interlocked.Increment(ref closed);
        });
        var start = DateTimeOffset.Parse("2026-03-12T14:00:00Z", CultureInfo.InvariantCulture);
        var time = new FakeTimeProvider(start);
        var target = Only(ProbeHarness.Https(server.Port, _pki, timeoutSeconds: 10), "disruption-new");

        var run = RunAsync(target, "disruption-new", Sampling(intervalSeconds: 1, periodSeconds: 3), time);
        await Until(() => Volatile.Read(ref stalling) == 1);
        time.Advance(TimeSpan.FromSeconds(1));
        await Until(() => server.Accepted == 2);
        time.Advance(TimeSpan.FromSeconds(1));
        await Until(() => server.Accepted == 3 && Volatile.Read(ref closed) == 2);
        // Two ticks went by with the first sample still stalled; now its timeout fires.
        Assert.False(run.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(10));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ProbeOutcome.Timeout, result.Outcome);
        Assert.Equal(3, result.Details["attempts"]);
        Assert.Equal(1, result.Details["failures.timeout"]);
        Assert.Equal("2026-03-12T14:00:00Z|timeout|tls|127.0.0.1|-|-", Assert.Single(FailedSamples(result)));
        Assert.Equal(start, result.Timestamp);
    }

    [Fact]
    public async Task New_KubernetesTarget_FailedSamplesCarryTheirAuditIds()
    {
        var heads = new System.Collections.Concurrent.ConcurrentBag<string>();
        var accepted = 0;
        await using var server = ScriptedServer.Start(async (connection, token) =>
        {
            var n = Interlocked.Increment(ref accepted);
            await connection.AuthenticateAsync(_pki.Valid, token);
            var head = await connection.ReadRequestHeadAsync(token);
            if (head is null)
            {
                return;
            }

            heads.Add(head);
            var auditId = head.Split("\r\n").First(l => l.StartsWith("Audit-ID:", StringComparison.OrdinalIgnoreCase))["Audit-ID:".Length..].Trim();
            switch (n)
            {
                case 2:
                    // The API server answered: failing checks, the ID echoed.
                    const string body = "[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed\n";
                    await connection.WriteAsync(Encoding.ASCII.GetBytes(
                        $"HTTP/1.1 500 Internal Server Error\r\nAudit-Id: {auditId}\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"), token);
                    break;
                case 3:
                    // Cut in front of the API server: the request went out, nothing came back.
                    connection.Reset();
                    break;
                default:
                    await connection.WriteAsync(Encoding.ASCII.GetBytes(
                        $"HTTP/1.1 200 OK\r\nAudit-Id: {auditId}\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"), token);
                    break;
            }
        });
        var target = Only(ProbeHarness.KubernetesApi(server.Port, _pki, "sampler-token"), "disruption-new");

        var result = await RunAsync(target, "disruption-new", Sampling(intervalSeconds: 0.1, periodSeconds: 0.4));

        Assert.Equal(4, result.Details["attempts"]);
        Assert.Equal(2, result.Details["failures"]);
        Assert.Equal(1, result.Details["failures.unhealthy"]);
        Assert.Equal(1, result.Details["failures.reset"]);
        Assert.Equal(ProbeOutcome.Unhealthy, result.Outcome);
        var failed = FailedSamples(result);
        Assert.Matches(@"\|unhealthy\|-\|127\.0\.0\.1\|[0-9a-f-]{36}\|true$", failed[0]);
        Assert.Matches(@"\|reset\|ttfb\|127\.0\.0\.1\|[0-9a-f-]{36}\|false$", failed[1]);
        Assert.All(heads, head =>
        {
            Assert.StartsWith("GET /readyz HTTP/1.1", head, StringComparison.Ordinal);
            Assert.Contains("Authorization: Bearer sampler-token", head, StringComparison.Ordinal);
        });
        Assert.Equal(4, heads.Select(h => h.Split("\r\n").First(l => l.StartsWith("Audit-ID:", StringComparison.OrdinalIgnoreCase))).Distinct().Count());
    }

    [Fact]
    public async Task New_TcpTarget_SamplesTheConnectAlone()
    {
        await using var server = ScriptedServer.Start(async (connection, token) => await connection.StallAsync(token));
        var target = new Target
        {
            Name = "ca-db",
            Kind = TargetKind.Tcp,
            Region = "ca-central",
            Endpoint = new TargetEndpoint("127.0.0.1", server.Port, UseTls: false),
            Timeout = TimeSpan.FromSeconds(5),
            SlowThreshold = TimeSpan.FromSeconds(5),
            Probes = new HashSet<string> { "disruption-new" },
        };

        var result = await RunAsync(target, "disruption-new", Sampling(intervalSeconds: 0.1, periodSeconds: 0.3));

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Equal(3, result.Details["attempts"]);
        Assert.Equal(3, server.Accepted);
        Assert.NotNull(result.Phases.ConnectMs);
        Assert.Null(result.Phases.TlsMs);
        Assert.Null(result.Phases.TtfbMs);
        Assert.True(result.Details.ContainsKey("connectP50Ms"));
        Assert.False(result.Details.ContainsKey("tlsP50Ms"));
    }

    [Theory]
    [InlineData(TargetKind.Tcp, false)]
    [InlineData(TargetKind.Http, true)]
    [InlineData(TargetKind.KubernetesApi, true)]
    public void Reused_AppliesToTargetsWithARequestToSend(TargetKind kind, bool applies)
    {
        var endpoint = new TargetEndpoint("127.0.0.1", 443, UseTls: kind != TargetKind.Tcp);

        Assert.Equal(applies, new DisruptionReusedProbe().AppliesTo(kind, endpoint));
        Assert.True(new DisruptionNewProbe().AppliesTo(kind, endpoint));
    }

    [Fact]
    public void ConnectOnly_ControlPlaneWithoutKubeconfig_NeverSkipsVerification()
    {
        var target = new Target
        {
            Name = "discovered",
            Kind = TargetKind.KubernetesApi,
            Region = "ca-central",
            Endpoint = new TargetEndpoint("127.0.0.1", 443, UseTls: true),
            Timeout = TimeSpan.FromSeconds(5),
            SlowThreshold = TimeSpan.FromSeconds(5),
            Probes = new HashSet<string> { "disruption-new" },
        };

        Assert.True(DisruptionSampler.ConnectOnly(target));
    }

    [Fact]
    public async Task Cycle_SamplingOffOrOneSeries_PlansOnlyWhatIsSampled()
    {
        await using var server = Https();
        var target = Only(ProbeHarness.Https(server.Port, _pki), "tcp", "disruption-new", "disruption-reused");
        var onlyNew = Sampling(0.1, 0.2, series: "new");
        var off = Sampling(0.1, 0.2);
        off.Probing.Sampling.Enabled = false;

        var newOnly = await Task.Run(() => ProbeHarness.Runner(onlyNew).RunAsync([target], CancellationToken.None));
        var none = await Task.Run(() => ProbeHarness.Runner(off).RunAsync([target], CancellationToken.None));

        Assert.Equal(["disruption-new", "tcp"], newOnly.Results.Select(r => r.Probe).Order(StringComparer.Ordinal));
        Assert.Equal(["tcp"], none.Results.Select(r => r.Probe));
    }

    [Fact]
    public async Task Cycle_PeriodLongerThanTheBudgetAllows_SamplesWithinTheBudget()
    {
        await using var server = Https();
        var target = Only(ProbeHarness.Https(server.Port, _pki, timeoutSeconds: 0.5), "disruption-new", "disruption-reused");
        var options = Sampling(intervalSeconds: 0.2, periodSeconds: 30);
        options.Probing.CycleBudgetSeconds = 2;

        var report = await Task.Run(() => ProbeHarness.Runner(options).RunAsync([target], CancellationToken.None));

        Assert.Equal(2, report.Results.Count);
        Assert.All(report.Results, result =>
        {
            Assert.Equal(ProbeOutcome.Ok, result.Outcome);
            Assert.InRange((int)result.Details["attempts"], 1, 8);
        });
        Assert.All(SyntheticsServiceCollectionExtensions.BuiltInProbes().Where(p => p.Name.StartsWith("disruption-", StringComparison.Ordinal)),
            probe => Assert.True(probe.TimeoutFor(target, options.Probing) <= TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task Cycle_InProgress_SnapshotCountsTheSamplesEndedSoFarUnderTheFinalResultsKeys()
    {
        await using var server = Https(resetEvery: 2);
        var start = DateTimeOffset.Parse("2026-03-12T14:00:00Z", CultureInfo.InvariantCulture);
        var time = new FakeTimeProvider(start);
        var runner = ProbeHarness.Runner(Sampling(intervalSeconds: 1, periodSeconds: 4, series: "new"), time);
        var target = Only(ProbeHarness.Https(server.Port, _pki), "disruption-new");
        var progress = new CycleProgress();

        var cycle = Task.Run(() => runner.RunAsync(new TargetCatalog([target]), progress, CancellationToken.None));
        await Until(() => progress.Snapshot() is [{ } first] && (int)first.Details["attempts"] == 1);
        time.Advance(TimeSpan.FromSeconds(1));
        await Until(() => progress.Snapshot() is [{ } second] && (int)second.Details["attempts"] == 2);
        var soFar = Assert.Single(progress.Snapshot());
        time.Advance(TimeSpan.FromSeconds(1));
        await Until(() => server.Accepted == 3);
        time.Advance(TimeSpan.FromSeconds(1));
        var report = await cycle.WaitAsync(TimeSpan.FromSeconds(30));

        // The second connection was reset: two samples so far, one failed, stored under the keys of the run's result.
        Assert.True(CycleProgress.IsPartial(soFar));
        Assert.Equal(1, soFar.Details["failures"]);
        Assert.Equal(ProbeOutcome.Reset, soFar.Outcome);
        var final = Assert.Single(report.Results);
        Assert.False(CycleProgress.IsPartial(final));
        Assert.Equal(4, final.Details["attempts"]);
        Assert.Equal(2, final.Details["failures"]);
        Assert.Equal((final.Vantage, final.Target, final.Probe, final.Timestamp), (soFar.Vantage, soFar.Target, soFar.Probe, soFar.Timestamp));
        Assert.Equal(start, soFar.Timestamp);
        // The runner's first cycle is its process's cold start; once ended, nothing is in progress.
        Assert.True(progress.ColdStart);
        Assert.Empty(progress.Snapshot());
    }

    [Fact]
    public async Task New_HostStopsMidPeriod_NoResultAndNoSampleLeftBehind()
    {
        await using var server = Https();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-12T14:00:00Z", CultureInfo.InvariantCulture));
        var runner = ProbeHarness.Runner(Sampling(intervalSeconds: 1, periodSeconds: 30), time);
        var probe = SyntheticsServiceCollectionExtensions.BuiltInProbes().Single(p => p.Name == "disruption-new");
        using var host = new CancellationTokenSource();

        var run = Task.Run(() => runner.RunOneAsync(Only(ProbeHarness.Https(server.Port, _pki), "disruption-new"), probe, CancellationToken.None, host.Token));
        await Until(() => server.Accepted == 1);
        time.Advance(TimeSpan.FromSeconds(1));
        await Until(() => server.Accepted == 2);
        await host.CancelAsync();

        // As for any probe: the host's stop yields no result, and the run ends without waiting out its period.
        Assert.Null(await run.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Result_OfTheSampler_IsValidAgainstTheContractSchema()
    {
        await using var server = Https(resetEvery: 2);
        var result = await RunAsync(Only(ProbeHarness.Https(server.Port, _pki), "disruption-new"), "disruption-new", Sampling(0.1, 0.4));

        var json = ProbeResultJson.Serialize(result);

        Assert.True(Results.ProbeResultJsonTests.ContractSchema.Evaluate(JsonNode.Parse(json)).IsValid, json);
        Assert.Equal(2, JsonNode.Parse(json)!["details"]!["failedSamples"]!.AsArray().Count);
    }

    private static async Task Until(Func<bool> condition)
    {
        // A bound on a broken test, not a speed requirement.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(10, deadline.Token);
        }
    }
}
