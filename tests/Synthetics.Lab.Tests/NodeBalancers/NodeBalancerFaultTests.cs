using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Synthetics.Lab.Faults;
using Synthetics.Lab.NodeBalancers;
using Xunit.Abstractions;

namespace Synthetics.Lab.Tests.NodeBalancers;

[Collection(LoopbackTests.Name)]
public sealed class NodeBalancerFaultTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private static NodeBalancer Create(IPEndPoint backend, params string[] vantages) => Create(backend, TimeProvider.System, vantages);

    private static NodeBalancer Create(IPEndPoint backend, TimeProvider time, params string[] vantages) => new(new NodeBalancerOptions
    {
        Name = "lke-ca-central-cp",
        Vantages = vantages.Length == 0 ? ["eu-west"] : vantages,
        Backends = [backend],
        Seed = 20240312,
        TimeProvider = time,
    });

    [Fact]
    public async Task SetFaultPlan_StallAndResetShares_ObservedWithinTwoPoints()
    {
        const int Connections = 1000;
        await using var backend = new EchoBackend();
        await using var nodeBalancer = Create(backend.Endpoint);
        var stallDuration = TimeSpan.FromMilliseconds(200);
        nodeBalancer.SetFaultPlan(new FaultPlan { StallShare = 0.08, StallDuration = stallDuration, ResetShare = 0.03 });
        var endpoint = nodeBalancer.GetEndpoint("eu-west");

        using var bound = new SemaphoreSlim(48);
        var probes = Enumerable.Range(0, Connections).Select(async _ =>
        {
            await bound.WaitAsync();
            try
            {
                return await LoopbackClient.ProbeAsync(endpoint, Patience);
            }
            finally
            {
                bound.Release();
            }
        });
        var results = await Task.WhenAll(probes);

        var stalled = results.Where(r => r.Outcome == ProbeOutcome.Closed).ToList();
        var reset = results.Count(r => r.Outcome == ProbeOutcome.Reset);
        var forwarded = results.Count(r => r.Outcome == ProbeOutcome.Forwarded);
        output.WriteLine($"stalled {stalled.Count}, reset {reset}, forwarded {forwarded} of {Connections}");
        Assert.Equal(Connections, stalled.Count + reset + forwarded);
        Assert.InRange(stalled.Count / (double)Connections, 0.06, 0.10);
        Assert.InRange(reset / (double)Connections, 0.01, 0.05);
        // A stall is a stall, not an early close (which comes back within a millisecond or two): nothing came back for
        // most of the stall. The bound leaves room for the timers of a loaded machine, which fire a few ms either way.
        Assert.All(stalled, r => Assert.True(r.Elapsed >= stallDuration * 0.75, $"closed after {r.Elapsed}"));

        var statistics = nodeBalancer.GetStatistics().Vantages["eu-west"];
        Assert.Equal((long)stalled.Count, statistics.Stalled);
        Assert.Equal(reset, statistics.Reset);
        Assert.Equal(forwarded, statistics.Forwarded);
        Assert.Equal(Connections, statistics.Accepted);
    }

    [Fact]
    public async Task SetFaultPlan_StallLongerThanClientPatience_ClientSeesNothing()
    {
        await using var backend = new EchoBackend();
        await using var nodeBalancer = Create(backend.Endpoint);
        nodeBalancer.SetFaultPlan(new FaultPlan { StallShare = 1, StallDuration = TimeSpan.FromSeconds(12) });

        var (outcome, _) = await LoopbackClient.ProbeAsync(nodeBalancer.GetEndpoint("eu-west"), TimeSpan.FromMilliseconds(250));

        Assert.Equal(ProbeOutcome.TimedOut, outcome);
        Assert.Equal(1, nodeBalancer.GetStatistics().Total.Stalled);
    }

    [Fact]
    public async Task SetFaultPlan_ConnectLatency_ShowsInTimeToFirstByte()
    {
        const int Runs = 15;
        var latency = TimeSpan.FromMilliseconds(100);
        await using var backend = new EchoBackend();
        await using var nodeBalancer = Create(backend.Endpoint);
        var endpoint = nodeBalancer.GetEndpoint("eu-west");

        // Warm the JIT, the socket paths and the timer path before anything is timed.
        nodeBalancer.SetFaultPlan(new FaultPlan { ConnectLatency = TimeSpan.FromMilliseconds(1) });
        await TimeToFirstByteAsync(endpoint, 3);
        nodeBalancer.ClearFaults();
        await TimeToFirstByteAsync(endpoint, 3);
        var baseline = await TimeToFirstByteAsync(endpoint, Runs);
        nodeBalancer.SetFaultPlan(new FaultPlan { ConnectLatency = latency });
        var impaired = await TimeToFirstByteAsync(endpoint, Runs);

        var added = LoopbackClient.Median(impaired) - LoopbackClient.Median(baseline);
        output.WriteLine($"baseline median {LoopbackClient.Median(baseline).TotalMilliseconds:F2} ms, with fault {LoopbackClient.Median(impaired).TotalMilliseconds:F2} ms, added {added.TotalMilliseconds:F2} ms");
        Assert.InRange(added.TotalMilliseconds, latency.TotalMilliseconds - 5, latency.TotalMilliseconds + 5);
    }

    [Fact]
    public async Task SetFaultPlan_CutRange_LongLivedConnectionsReset()
    {
        var min = TimeSpan.FromMilliseconds(300);
        var max = TimeSpan.FromMilliseconds(600);
        await using var backend = new EchoBackend();
        await using var nodeBalancer = Create(backend.Endpoint);
        nodeBalancer.SetFaultPlan(new FaultPlan { CutAfterMin = min, CutAfterMax = max });

        var lifetimes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => LifetimeAsync(nodeBalancer.GetEndpoint("eu-west"))));

        // When each cut came is printed, not asserted: timers on a loaded machine say nothing of the lab.
        output.WriteLine($"cut after {string.Join(", ", lifetimes.Select(l => $"{l.Lifetime.TotalMilliseconds:F0} ms"))} (range {min.TotalMilliseconds:F0}–{max.TotalMilliseconds:F0} ms)");
        Assert.All(lifetimes, l => Assert.Equal(ProbeOutcome.Reset, l.Outcome));
        Assert.Equal(6, nodeBalancer.GetStatistics().Total.Cut);
    }

    [Fact]
    public async Task SetFaultPlan_CutWhileConnectionOpen_OpenConnectionCut()
    {
        await using var backend = new EchoBackend();
        await using var nodeBalancer = Create(backend.Endpoint);
        using var client = await LoopbackClient.ConnectAsync(nodeBalancer.GetEndpoint("eu-west"));
        await EchoOnceAsync(client);

        // A watch opened before the fleet change is cut too: that is what happened on March 12.
        var watch = Stopwatch.StartNew();
        nodeBalancer.SetFaultPlan(new FaultPlan { CutAfterMin = TimeSpan.FromMilliseconds(200), CutAfterMax = TimeSpan.FromMilliseconds(200) });
        using var end = new CancellationTokenSource(Patience);
        var outcome = await LoopbackClient.WaitForEndAsync(client, end.Token);

        output.WriteLine($"cut {watch.Elapsed.TotalMilliseconds:F0} ms after the plan (200 ms)");
        Assert.Equal(ProbeOutcome.Reset, outcome);
        Assert.Equal(1, nodeBalancer.GetStatistics().Total.Cut);
    }

    [Fact]
    public async Task SetFaultPlan_DropOpenFlows_OpenConnectionGetsNothingNewOnesPass()
    {
        await using var backend = new EchoBackend();
        await using var nodeBalancer = Create(backend.Endpoint);
        using var open = await LoopbackClient.ConnectAsync(nodeBalancer.GetEndpoint("eu-west"));
        await EchoOnceAsync(open);

        // The fleet change loses the flow: the client's bytes go nowhere, and nothing (no echo, FIN or RST) comes back.
        nodeBalancer.SetFaultPlan(new FaultPlan { DropOpenFlows = true });
        await open.SendAsync(new byte[] { 1 }, SocketFlags.None);
        using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var outcome = await LoopbackClient.WaitForEndAsync(open, wait.Token);
        using var fresh = await LoopbackClient.ConnectAsync(nodeBalancer.GetEndpoint("eu-west"));
        await EchoOnceAsync(fresh);

        Assert.Equal(ProbeOutcome.TimedOut, outcome);
        Assert.Equal(1, nodeBalancer.GetStatistics().Total.Dropped);
        Assert.Equal(0, nodeBalancer.GetStatistics().Total.Cut);
    }

    [Fact]
    public async Task SetFaultPlan_DropOpenFlowsOver_FlowsDieThroughTheRolloutNotAtOnce()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var backend = new EchoBackend();
        await using var nodeBalancer = Create(backend.Endpoint, time);
        var endpoint = nodeBalancer.GetEndpoint("eu-west");
        var open = new List<Socket>();
        for (var i = 0; i < 40; i++)
        {
            var client = await LoopbackClient.ConnectAsync(endpoint);
            await EchoOnceAsync(client);
            open.Add(client);
        }

        try
        {
            nodeBalancer.SetFaultPlan(new FaultPlan { DropOpenFlows = true, DropOpenFlowsOver = TimeSpan.FromMinutes(10) });
            var atOnset = nodeBalancer.GetStatistics().Total.Dropped;
            time.Advance(TimeSpan.FromMinutes(5));
            var halfway = nodeBalancer.GetStatistics().Total.Dropped;
            time.Advance(TimeSpan.FromMinutes(5));
            var done = nodeBalancer.GetStatistics().Total.Dropped;

            // Accepted once every instance was replaced: the new instances know this flow.
            using var late = await LoopbackClient.ConnectAsync(endpoint);
            await EchoOnceAsync(late);
            time.Advance(TimeSpan.FromMinutes(5));
            await EchoOnceAsync(late);

            output.WriteLine($"dropped at the onset {atOnset}, halfway {halfway}, at the end {done} of {open.Count}");
            Assert.Equal(0, atOnset);
            Assert.InRange(halfway, 10, 30);
            Assert.Equal(open.Count, done);
            Assert.Equal(open.Count, nodeBalancer.GetStatistics().Total.Dropped);
        }
        finally
        {
            open.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public void Validate_DropOpenFlowsOverWithoutDropOpenFlows_NamesTheField()
    {
        var error = new FaultPlan { DropOpenFlowsOver = TimeSpan.FromMinutes(5) }.Validate();

        Assert.Equal("dropOpenFlowsOver", error?.Field);
    }

    [Fact]
    public async Task ClearFaults_AfterDropOpenFlows_DroppedConnectionReset()
    {
        await using var backend = new EchoBackend();
        await using var nodeBalancer = Create(backend.Endpoint);
        using var open = await LoopbackClient.ConnectAsync(nodeBalancer.GetEndpoint("eu-west"));
        await EchoOnceAsync(open);
        nodeBalancer.SetFaultPlan(new FaultPlan { DropOpenFlows = true });
        await open.SendAsync(new byte[] { 1 }, SocketFlags.None);

        // The fault ends: the dead connection is told at last, so a client that kept it opens a new one.
        nodeBalancer.ClearFaults();
        using var end = new CancellationTokenSource(Patience);
        var outcome = await LoopbackClient.WaitForEndAsync(open, end.Token);

        Assert.Equal(ProbeOutcome.Reset, outcome);
    }

    [Fact]
    public async Task ClearFaults_PendingCut_ConnectionSurvives()
    {
        await using var backend = new EchoBackend();
        await using var nodeBalancer = Create(backend.Endpoint);
        nodeBalancer.SetFaultPlan(new FaultPlan { CutAfterMin = TimeSpan.FromMilliseconds(300), CutAfterMax = TimeSpan.FromMilliseconds(300) });
        using var client = await LoopbackClient.ConnectAsync(nodeBalancer.GetEndpoint("eu-west"));
        await EchoOnceAsync(client);

        nodeBalancer.ClearFaults();
        using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var outcome = await LoopbackClient.WaitForEndAsync(client, wait.Token);

        Assert.Equal(ProbeOutcome.TimedOut, outcome);
        Assert.Equal(0, nodeBalancer.GetStatistics().Total.Cut);
    }

    [Fact]
    public async Task SetFaultPlan_ThrottleReset_ConnectionsAboveRateReset()
    {
        await using var backend = new EchoBackend();
        await using var nodeBalancer = Create(backend.Endpoint, "eu-west", "asia");
        nodeBalancer.SetFaultPlan(new FaultPlan { NewConnectionsPerSecondPerClient = 5, ThrottleAction = ThrottleAction.Reset });

        var outcomes = new List<ProbeOutcome>();
        for (var i = 0; i < 12; i++)
        {
            outcomes.Add((await LoopbackClient.ProbeAsync(nodeBalancer.GetEndpoint("eu-west"), Patience)).Outcome);
        }

        // The burst of one second's worth (5) passes; a dozen connections in well under a second refill < 1 token.
        Assert.Equal(5, outcomes.Count(o => o == ProbeOutcome.Forwarded));
        Assert.Equal(7, outcomes.Count(o => o == ProbeOutcome.Reset));
        Assert.Equal(7, nodeBalancer.GetStatistics().Vantages["eu-west"].Throttled);
        // Another client identity has its own bucket.
        Assert.Equal(ProbeOutcome.Forwarded, (await LoopbackClient.ProbeAsync(nodeBalancer.GetEndpoint("asia"), Patience)).Outcome);
    }

    [Fact]
    public async Task SetFaultPlan_ThrottleDelay_ConnectionsAboveRateDelayed()
    {
        await using var backend = new EchoBackend();
        await using var nodeBalancer = Create(backend.Endpoint);
        nodeBalancer.SetFaultPlan(new FaultPlan { NewConnectionsPerSecondPerClient = 20, ThrottleAction = ThrottleAction.Delay });
        var endpoint = nodeBalancer.GetEndpoint("eu-west");

        var watch = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => LoopbackClient.ProbeAsync(endpoint, Patience)));

        // 20 pass at once, the other 10 queue at 20/s: the last one waits ~0.5 s.
        output.WriteLine($"30 connections at 20/s took {watch.Elapsed.TotalMilliseconds:F0} ms: {string.Join(", ", results.Select(r => r.Elapsed.TotalMilliseconds.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}");
        Assert.All(results, r => Assert.Equal(ProbeOutcome.Forwarded, r.Outcome));
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromMilliseconds(1500));
        Assert.InRange(results.Max(r => r.Elapsed), TimeSpan.FromMilliseconds(450), TimeSpan.FromMilliseconds(1500));
    }

    private static async Task<List<TimeSpan>> TimeToFirstByteAsync(IPEndPoint endpoint, int runs)
    {
        var times = new List<TimeSpan>();
        for (var i = 0; i < runs; i++)
        {
            var (outcome, elapsed) = await LoopbackClient.ProbeAsync(endpoint, Patience);
            Assert.Equal(ProbeOutcome.Forwarded, outcome);
            times.Add(elapsed);
        }

        return times;
    }

    private static async Task<(ProbeOutcome Outcome, TimeSpan Lifetime)> LifetimeAsync(IPEndPoint endpoint)
    {
        using var client = await LoopbackClient.ConnectAsync(endpoint);
        var watch = Stopwatch.StartNew();
        await EchoOnceAsync(client);
        using var end = new CancellationTokenSource(Patience);
        var outcome = await LoopbackClient.WaitForEndAsync(client, end.Token);
        return (outcome, watch.Elapsed);
    }

    private static async Task EchoOnceAsync(Socket client)
    {
        await client.SendAsync(new byte[] { 1 }, SocketFlags.None);
        var buffer = new byte[1];
        using var timeout = new CancellationTokenSource(Patience);
        Assert.Equal(1, await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token));
    }
}
