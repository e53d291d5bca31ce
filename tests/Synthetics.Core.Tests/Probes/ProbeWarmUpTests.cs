using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Synthetics.Core.Tests.Support;
using Synthetics.Lab.Sockets;
using Synthetics.Probes;
using Synthetics.Results;
using Synthetics.Targets;

namespace Synthetics.Core.Tests.Probes;

/// <summary>The warm-up runs the probes' success paths on loopback before a process's first measurement, once.</summary>
public sealed class ProbeWarmUpTests(PkiFixture fixture) : IClassFixture<PkiFixture>
{
    [Fact]
    public async Task RunAsync_EveryBuiltInProbe_SucceedsAgainstTheWarmUpServer()
    {
        var runner = ProbeHarness.Runner();
        var results = new ConcurrentBag<ProbeResult>();

        await Task.Run(() => ProbeWarmUp.RunAsync(
            SyntheticsServiceCollectionExtensions.BuiltInProbes(),
            async (target, probe, token) => results.Add((await runner.RunOneAsync(target, probe, token, CancellationToken.None))!),
            CancellationToken.None));

        // Each probe that applies to a warm-up target ran twice (dns does not apply to an address).
        var byProbe = results.GroupBy(r => r.Probe).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(["disruption-new", "disruption-reused", "http", "kube-api", "kube-health", "lease-canary", "tcp", "tls", "watch"], byProbe.Keys.Order());
        // The sampler's code path: a couple of samples per series, fresh and kept connections.
        Assert.All(byProbe["disruption-new"].Concat(byProbe["disruption-reused"]), r => Assert.True((int)r.Details["attempts"] >= 2));
        // What the warm-up is for: the code a healthy target runs, end to end. The watch ends early (the server watches
        // nothing), which still runs its list, watch and reconnect code.
        Assert.All(results.Where(r => r.Probe != "watch"), r => Assert.True(r.Outcome.IsSuccess(), $"{r.Target} {r.Probe}: {r.Outcome.ToContractName()} {r.Message}"));
    }

    [Fact]
    public async Task RunAsync_WarmUpOn_WarmsOnceBeforeTheFirstCycleOnly()
    {
        await using var server = ScriptedServer.Start(async (c, t) =>
        {
            await c.AuthenticateAsync(fixture.Pki.Valid, t);
            await c.ReadRequestHeadAsync(t);
            await c.RespondAsync(200, "ok", t);
        });
        var log = new EventIds();
        var options = ProbeHarness.Options(p => p.WarmUp = true);
        var runner = new ProbeCycleRunner(
            SyntheticsServiceCollectionExtensions.BuiltInProbes(), TimeProvider.System, Microsoft.Extensions.Options.Options.Create(options), log.Logger);
        Target[] targets = [ProbeHarness.Https(server.Port, fixture.Pki)];

        var first = await Task.Run(() => runner.RunAsync(targets, CancellationToken.None));
        var second = await Task.Run(() => runner.RunAsync(targets, CancellationToken.None));

        Assert.Equal(1, log.Count(103)); // "Probes warmed up on loopback in … ms, before the first cycle"
        Assert.True(first.ColdStart);
        Assert.False(second.ColdStart);
        Assert.All(first.Results.Concat(second.Results), r => Assert.Equal(("web", ProbeOutcome.Ok), (r.Target, r.Outcome)));
    }

    private sealed class EventIds : ILoggerProvider
    {
        private readonly ConcurrentQueue<int> _ids = new();

        public ILogger<ProbeCycleRunner> Logger => new Microsoft.Extensions.Logging.Logger<ProbeCycleRunner>(new LoggerFactory([this]));

        public int Count(int id) => _ids.Count(i => i == id);

        public ILogger CreateLogger(string categoryName) => new Recorder(_ids);

        public void Dispose()
        {
        }

        private sealed class Recorder(ConcurrentQueue<int> ids) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                ids.Enqueue(eventId.Id);
        }
    }
}
