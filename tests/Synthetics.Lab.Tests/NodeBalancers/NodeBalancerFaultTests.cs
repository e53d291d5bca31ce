using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Synthetics.Core.Tests.Support;
using Synthetics.Lab.Faults;
using Synthetics.Lab.NodeBalancers;
using Synthetics.Lab.Tests.Region;
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

        var stalled = results.Count(r => r == ProbeOutcome.Closed);
        var reset = results.Count(r => r == ProbeOutcome.Reset);
        var forwarded = results.Count(r => r == ProbeOutcome.Forwarded);
        output.WriteLine($"stalled {stalled}, reset {reset}, forwarded {forwarded} of {Connections}");
        Assert.Equal(Connections, stalled + reset + forwarded);
        Assert.InRange(stalled / (double)Connections, 0.06, 0.10);
        Assert.InRange(reset / (double)Connections, 0.01, 0.05);

        // That a stall holds for its whole duration, rather than closing early, is checked on a fake clock below.
        var statistics = nodeBalancer.GetStatistics().Vantages["eu-west"];
        Assert.Equal(stalled, statistics.Stalled);
        Assert.Equal(reset, statistics.Reset);
        Assert.Equal(forwarded, statistics.Forwarded);
        Assert.Equal(Connections, statistics.Accepted);
    }

    [Fact]
    public async Task SetFaultPlan_Stall_ClosedOnlyOnceTheStallHasPassed()
    {
        var time = new RecordingTimeProvider();
        var stallDuration = TimeSpan.FromMilliseconds(200);
        await using var backend = new EchoBackend();
        await using var nodeBalancer = Create(backend.Endpoint, time);
        nodeBalancer.SetFaultPlan(new FaultPlan { StallShare = 1, StallDuration = stallDuration });

        var probe = LoopbackClient.ProbeAsync(nodeBalancer.GetEndpoint("eu-west"), Patience);
        await time.AdvanceToJustBeforeAsync(stallDuration);
        Assert.False(probe.IsCompleted, "closed before the stall had passed");

        time.Advance(TimeSpan.FromTicks(1));

        Assert.Equal(ProbeOutcome.Closed, await probe);
        Assert.Equal(1, nodeBalancer.GetStatistics().Total.Stalled);
    }

    [Fact]
    public async Task SetFaultPlan_StallLongerThanClientPatience_ClientSeesNothing()
    {
        await using var backend = new EchoBackend();
        await using var nodeBalancer = Create(backend.Endpoint);
        nodeBalancer.SetFaultPlan(new FaultPlan { StallShare = 1, StallDuration = TimeSpan.FromSeconds(12) });

        var outcome = await LoopbackClient.ProbeAsync(nodeBalancer.GetEndpoint("eu-west"), TimeSpan.FromMilliseconds(250));

        Assert.Equal(ProbeOutcome.TimedOut, outcome);
        Assert.Equal(1, nodeBalancer.GetStatistics().Total.Stalled);
    }

    [Fact]
    public async Task SetFaultPlan_ConnectLatency_ForwardedOnlyOnceTheLatencyHasPassed()
    {
        var time = new RecordingTimeProvider();
        var latency = TimeSpan.FromMilliseconds(100);
        await using var backend = new EchoBackend();
        await using var nodeBalancer = Create(backend.Endpoint, time);
        nodeBalancer.SetFaultPlan(new FaultPlan { ConnectLatency = latency });

        var probe = LoopbackClient.ProbeAsync(nodeBalancer.GetEndpoint("eu-west"), Patience);
        await time.AdvanceToJustBeforeAsync(latency);
        Assert.False(probe.IsCompleted, "answered before the latency had passed");
        Assert.Equal(0, nodeBalancer.GetStatistics().Total.Forwarded);

        time.Advance(TimeSpan.FromTicks(1));

        Assert.Equal(ProbeOutcome.Forwarded, await probe);
        Assert.Equal(1, nodeBalancer.GetStatistics().Total.Forwarded);
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
        var time = new RecordingTimeProvider();
        var cutAfter = TimeSpan.FromMilliseconds(300);
        await using var backend = new EchoBackend();
        await using var nodeBalancer = Create(backend.Endpoint, time);
        nodeBalancer.SetFaultPlan(new FaultPlan { CutAfterMin = cutAfter, CutAfterMax = cutAfter });
        using var client = await LoopbackClient.ConnectAsync(nodeBalancer.GetEndpoint("eu-west"));
        await EchoOnceAsync(client);
        await time.WaitForScheduledAsync(cutAfter);

        // Cleared while the cut is still pending (the clock has not moved), then past the time it was due.
        nodeBalancer.ClearFaults();
        time.Advance(cutAfter);
        using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var outcome = await LoopbackClient.WaitForEndAsync(client, wait.Token);

        Assert.Equal(ProbeOutcome.TimedOut, outcome);
        Assert.Equal(0, nodeBalancer.GetStatistics().Total.Cut);
    }

    [Fact]
    public async Task SetFaultPlan_ThrottleReset_ConnectionsAboveRateReset()
    {
        await using var backend = new EchoBackend();
        await using var nodeBalancer = Create(backend.Endpoint, new FakeTimeProvider(DateTimeOffset.UtcNow), "eu-west", "asia");
        nodeBalancer.SetFaultPlan(new FaultPlan { NewConnectionsPerSecondPerClient = 5, ThrottleAction = ThrottleAction.Reset });

        var outcomes = new List<ProbeOutcome>();
        for (var i = 0; i < 12; i++)
        {
            outcomes.Add(await LoopbackClient.ProbeAsync(nodeBalancer.GetEndpoint("eu-west"), Patience));
        }

        // The burst of one second's worth (5) passes; on a clock that does not move, the bucket never refills.
        Assert.Equal(5, outcomes.Count(o => o == ProbeOutcome.Forwarded));
        Assert.Equal(7, outcomes.Count(o => o == ProbeOutcome.Reset));
        Assert.Equal(7, nodeBalancer.GetStatistics().Vantages["eu-west"].Throttled);
        // Another client identity has its own bucket.
        Assert.Equal(ProbeOutcome.Forwarded, await LoopbackClient.ProbeAsync(nodeBalancer.GetEndpoint("asia"), Patience));
    }

    [Fact]
    public async Task SetFaultPlan_ThrottleDelay_ConnectionsAboveRateWaitForTheirTokens()
    {
        var time = new RecordingTimeProvider();
        await using var backend = new EchoBackend();
        await using var nodeBalancer = Create(backend.Endpoint, time);
        nodeBalancer.SetFaultPlan(new FaultPlan { NewConnectionsPerSecondPerClient = 20, ThrottleAction = ThrottleAction.Delay });
        var endpoint = nodeBalancer.GetEndpoint("eu-west");

        var probes = Enumerable.Range(0, 30).Select(_ => LoopbackClient.ProbeAsync(endpoint, Patience)).ToList();

        // 20 pass at once (a second's burst); the other 10 each reserve the next token at 20/s: 50 ms, 100 ms … 500 ms.
        // The only other timers here are the backend connects' 5 s timeouts.
        static bool IsThrottleWait(TimeSpan dueTime) => dueTime < TimeSpan.FromSeconds(1);
        await time.WaitForScheduledAsync(IsThrottleWait, 10, "the ten throttle waits");
        var waits = time.DueTimes.Where(IsThrottleWait).Select(d => Math.Round(d.TotalMilliseconds)).Order().ToList();
        output.WriteLine($"throttle waits: {string.Join(", ", waits)} ms");
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 50.0), waits);
        await RegionSupport.EventuallyAsync(() => probes.Count(p => p.IsCompleted) >= 20, "the burst to be forwarded");
        await RecordingTimeProvider.SettleAsync();
        Assert.Equal(20, probes.Count(p => p.IsCompleted));

        // Between the fifth wait (250 ms) and the sixth (300 ms).
        time.Advance(TimeSpan.FromMilliseconds(275));
        await RegionSupport.EventuallyAsync(() => probes.Count(p => p.IsCompleted) >= 25, "the waits due by 275 ms");
        await RecordingTimeProvider.SettleAsync();
        Assert.Equal(25, probes.Count(p => p.IsCompleted));

        time.Advance(TimeSpan.FromMilliseconds(250));
        var outcomes = await Task.WhenAll(probes);

        Assert.All(outcomes, o => Assert.Equal(ProbeOutcome.Forwarded, o));
        Assert.Equal(30, nodeBalancer.GetStatistics().Total.Forwarded);
        Assert.Equal(0, nodeBalancer.GetStatistics().Total.Throttled);
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
