using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Synthetics.Lab.Faults;
using Synthetics.Lab.NodeBalancers;

namespace Synthetics.Lab.Tests.Faults;

public sealed class ScenarioTimelineTests
{
    private static readonly FaultPlan Stalls = new() { StallShare = 0.08, ResetShare = 0.03 };
    private static readonly FaultPlan Blackhole = new() { Blackhole = true };

    private static NodeBalancer Create(TimeProvider time) => new(new NodeBalancerOptions
    {
        Name = "lke-ca-central-cp",
        Vantages = ["eu-west", "asia"],
        // Never dialled: these tests only watch plans change.
        Backends = [new IPEndPoint(IPAddress.Loopback, 9)],
        TimeProvider = time,
    });

    [Fact]
    public async Task RunAsync_FaultAndActionSteps_AppliedAndClearedOnTime()
    {
        var time = new FakeTimeProvider();
        await using var nodeBalancer = Create(time);
        var maintenance = 0;
        var timeline = new ScenarioTimeline()
            .AddFault(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), nodeBalancer, Stalls)
            .AddFault(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(5), nodeBalancer, Blackhole, "asia")
            .AddAction(TimeSpan.FromSeconds(25), "status page maintenance", () => Interlocked.Increment(ref maintenance));

        var run = timeline.RunAsync(time, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(9.999));
        await Settled();
        Assert.Equal(FaultPlan.None, nodeBalancer.FaultPlan);

        time.Advance(TimeSpan.FromMilliseconds(1));
        await WaitUntil(() => nodeBalancer.FaultPlan == Stalls);
        Assert.Null(nodeBalancer.GetVantageFaultPlan("asia"));

        time.Advance(TimeSpan.FromSeconds(10));
        await WaitUntil(() => nodeBalancer.GetVantageFaultPlan("asia") == Blackhole);
        Assert.Equal(Stalls, nodeBalancer.GetEffectiveFaultPlan("eu-west"));
        Assert.Equal(Blackhole, nodeBalancer.GetEffectiveFaultPlan("asia"));

        time.Advance(TimeSpan.FromSeconds(5));
        await WaitUntil(() => nodeBalancer.GetVantageFaultPlan("asia") is null && Volatile.Read(ref maintenance) == 1);
        Assert.Equal(Stalls, nodeBalancer.GetEffectiveFaultPlan("asia"));
        Assert.False(run.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(14.999));
        await Settled();
        Assert.Equal(Stalls, nodeBalancer.FaultPlan);

        time.Advance(TimeSpan.FromMilliseconds(1));
        await run.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(FaultPlan.None, nodeBalancer.FaultPlan);
        Assert.Equal(1, maintenance);
    }

    [Fact]
    public async Task RunAsync_StepEndsWhenNextStarts_EndRunsFirst()
    {
        var time = new FakeTimeProvider();
        await using var nodeBalancer = Create(time);
        var timeline = new ScenarioTimeline()
            .AddFault(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), nodeBalancer, Blackhole)
            .AddFault(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(10), nodeBalancer, Stalls);

        var run = timeline.RunAsync(time, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(10));
        await WaitUntil(() => nodeBalancer.FaultPlan == Blackhole);
        time.Advance(TimeSpan.FromSeconds(10));

        await WaitUntil(() => nodeBalancer.FaultPlan == Stalls);
        time.Advance(TimeSpan.FromSeconds(10));
        await run.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(FaultPlan.None, nodeBalancer.FaultPlan);
    }

    [Fact]
    public async Task RunAsync_CancelledMidFault_FaultReverted()
    {
        var time = new FakeTimeProvider();
        await using var nodeBalancer = Create(time);
        using var stop = new CancellationTokenSource();
        var timeline = new ScenarioTimeline()
            .AddFault(TimeSpan.Zero, TimeSpan.FromMinutes(5), nodeBalancer, Blackhole, "asia");

        var run = timeline.RunAsync(time, stop.Token);
        await WaitUntil(() => nodeBalancer.GetVantageFaultPlan("asia") == Blackhole);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Null(nodeBalancer.GetVantageFaultPlan("asia"));
    }

    [Fact]
    public async Task AddFault_UnknownVantage_ThrowsAtOnce()
    {
        await using var nodeBalancer = Create(new FakeTimeProvider());

        Assert.Throws<KeyNotFoundException>(() =>
            new ScenarioTimeline().AddFault(TimeSpan.Zero, TimeSpan.FromSeconds(1), nodeBalancer, Stalls, "mars"));
    }

    /// <summary>Gives continuations scheduled by a fake-clock advance a chance to run, for asserting that nothing happened.</summary>
    private static Task Settled() => Task.Delay(50);

    private static async Task WaitUntil(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), "condition not reached in 5 s");
            await Task.Delay(5);
        }
    }
}
