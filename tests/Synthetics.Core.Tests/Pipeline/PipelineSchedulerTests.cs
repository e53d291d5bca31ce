using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Synthetics.Pipeline;
using Synthetics.Scheduling;

namespace Synthetics.Core.Tests.Pipeline;

public sealed class PipelineSchedulerTests
{
    private static DateTimeOffset At(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);

    [Fact]
    public async Task ExecuteAsync_CycleFailsOnce_LogsAndRunsAgainOnTheNextTick()
    {
        var time = new FakeTimeProvider(At("2026-03-12T14:00:00.500Z"));
        var cycle = new ScriptedCycle(time, CronSchedule.TryParse("* * * * * *", out _)!, failFirst: true);
        using var scheduler = new PipelineScheduler([cycle], [], time, NullLogger<PipelineScheduler>.Instance);

        await scheduler.StartAsync(CancellationToken.None);
        await AdvanceUntil(time, () => cycle.Runs >= 2);
        await scheduler.StopAsync(CancellationToken.None);

        Assert.Equal([At("2026-03-12T14:00:01Z"), At("2026-03-12T14:00:02Z")], cycle.StartedAt.Take(2));
    }

    [Fact]
    public async Task ExecuteAsync_TwoCycles_RunEachOnItsOwnScheduleAndNotifyObservers()
    {
        var time = new FakeTimeProvider(At("2026-03-12T14:00:00.500Z"));
        // The shipped probe and evaluation schedules, 6× faster: probes at :10, :20…, evaluations at :05, :15….
        var probeSchedule = CronSchedule.Parse("Synthetics:ProbeSchedule", "0 * * * * *", 6);
        var evaluationSchedule = CronSchedule.Parse("Synthetics:EvaluationSchedule", "30 * * * * *", 6);
        var probe = new ScriptedCycle(time, probeSchedule);
        var evaluate = new ScriptedCycle(time, evaluationSchedule);
        var observer = new CountingObserver();
        using var scheduler = new PipelineScheduler([probe, evaluate], [observer], time, NullLogger<PipelineScheduler>.Instance);

        await scheduler.StartAsync(CancellationToken.None);
        await AdvanceUntil(time, () => probe.Runs >= 2 && evaluate.Runs >= 2);
        await scheduler.StopAsync(CancellationToken.None);

        // Each run starts on an occurrence of its own schedule (a loaded machine may let the fake clock pass one while a
        // loop catches up: then that tick is skipped, as a timer trigger skips it, never run off its time).
        // A run records the fake clock when it begins, which may be one 50 ms step after the occurrence that woke it.
        Assert.Equal(At("2026-03-12T14:00:10Z"), probeSchedule.Next(probe.StartedAt[0].AddMilliseconds(-50).AddTicks(-1)));
        Assert.Equal(At("2026-03-12T14:00:05Z"), evaluationSchedule.Next(evaluate.StartedAt[0].AddMilliseconds(-50).AddTicks(-1)));
        Assert.All(probe.StartedAt, t => Assert.True(probeSchedule.Next(t.AddMilliseconds(-50).AddTicks(-1)) <= t));
        Assert.All(evaluate.StartedAt, t => Assert.True(evaluationSchedule.Next(t.AddMilliseconds(-50).AddTicks(-1)) <= t));
        Assert.True(observer.Notified >= 4, $"{observer.Notified} notifications");
    }

    /// <summary>
    /// Moves the fake clock 50 ms at a time, letting the scheduler's loops reach their next wait in between, until
    /// <paramref name="done"/>: a loop must fall twenty steps behind to miss a one-second tick. Bounded by steps of the
    /// fake clock, not by real time.
    /// </summary>
    private static async Task AdvanceUntil(FakeTimeProvider time, Func<bool> done)
    {
        for (var step = 0; step < 10_000 && !done(); step++)
        {
            // Real time only to let the loops' continuations run; nothing is asserted on it.
            await Task.Delay(TimeSpan.FromMilliseconds(2), TimeProvider.System);
            if (!done())
            {
                time.Advance(TimeSpan.FromMilliseconds(50));
            }
        }

        Assert.True(done(), "the scheduler never got there");
    }

    /// <summary>A cycle that records the (fake) time of each run; the first run may throw.</summary>
    private sealed class ScriptedCycle(TimeProvider time, CronSchedule schedule, bool failFirst = false) : IPipelineCycle
    {
        private readonly List<DateTimeOffset> _startedAt = [];

        public string Name => "Scripted";

        public CronSchedule Schedule => schedule;

        public int Runs
        {
            get
            {
                lock (_startedAt)
                {
                    return _startedAt.Count;
                }
            }
        }

        public IReadOnlyList<DateTimeOffset> StartedAt
        {
            get
            {
                lock (_startedAt)
                {
                    return [.. _startedAt];
                }
            }
        }

        public async Task RunOnceAndNotifyAsync(IReadOnlyList<IPipelineObserver> observers, CancellationToken cancellationToken)
        {
            int run;
            lock (_startedAt)
            {
                _startedAt.Add(time.GetUtcNow());
                run = _startedAt.Count;
            }

            if (failFirst && run == 1)
            {
                throw new InvalidOperationException("a bug in a cycle");
            }

            foreach (var observer in observers)
            {
                await observer.OnRetentionAsync(new RetentionRun(time.GetUtcNow(), new Synthetics.Storage.RetentionReport(0, 0, true), null), cancellationToken);
            }
        }
    }

    private sealed class CountingObserver : IPipelineObserver
    {
        private int _notified;

        public int Notified => Volatile.Read(ref _notified);

        public Task OnProbeCycleAsync(ProbeCycleRun run, CancellationToken cancellationToken) => Count();

        public Task OnEvaluationAsync(EvaluationRun run, CancellationToken cancellationToken) => Count();

        public Task OnRetentionAsync(RetentionRun run, CancellationToken cancellationToken) => Count();

        private Task Count()
        {
            Interlocked.Increment(ref _notified);
            return Task.CompletedTask;
        }
    }
}
