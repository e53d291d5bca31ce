using Microsoft.Extensions.Time.Testing;

namespace Synthetics.Core.Tests.Support;

/// <summary>
/// A fake clock that records the due time of every timer scheduled on it (a <c>Task.Delay</c>, a cancellation
/// timeout). A test waits until the code under test has scheduled the delay it expects, checks nothing happened just before fake
/// time reaches it, then advances past it: the delay is checked exactly, and the machine's speed never enters.
/// </summary>
internal sealed class RecordingTimeProvider : FakeTimeProvider
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _dueTimes = [];

    /// <summary>Starts at the real time, so certificates issued from this clock are valid for real clients.</summary>
    public RecordingTimeProvider()
        : base(DateTimeOffset.UtcNow)
    {
    }

    /// <summary>The due time of every timer scheduled so far, in the order they were scheduled.</summary>
    public IReadOnlyList<TimeSpan> DueTimes
    {
        get
        {
            lock (_gate)
            {
                return [.. _dueTimes];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);

        // Recorded only once the timer is registered: a test that has seen it can advance past it.
        lock (_gate)
        {
            _dueTimes.Add(dueTime);
        }

        return timer;
    }

    /// <summary>Waits (real time, up to 10 s) until <paramref name="count"/> timers due after exactly <paramref name="dueTime"/> are scheduled.</summary>
    public Task WaitForScheduledAsync(TimeSpan dueTime, int count = 1) =>
        WaitForScheduledAsync(d => d == dueTime, count, $"{count} timer(s) due after {dueTime}");

    /// <summary>Waits (real time, up to 10 s) until <paramref name="count"/> scheduled timers match <paramref name="match"/>.</summary>
    public async Task WaitForScheduledAsync(Func<TimeSpan, bool> match, int count, string what)
    {
        using var giveUp = new CancellationTokenSource(Patience);
        while (DueTimes.Count(match) < count)
        {
            if (giveUp.IsCancellationRequested)
            {
                Assert.Fail($"Not scheduled within {Patience.TotalSeconds} s: {what}; scheduled so far: {string.Join(", ", DueTimes)}");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>
    /// Waits until the <paramref name="count"/>th timer due after <paramref name="dueTime"/> is scheduled, advances to one
    /// tick before it is due and lets continuations run: whatever that timer holds back must still be held. One more
    /// tick (<c>Advance(TimeSpan.FromTicks(1))</c>) releases it.
    /// </summary>
    public async Task AdvanceToJustBeforeAsync(TimeSpan dueTime, int count = 1)
    {
        await WaitForScheduledAsync(dueTime, count);
        Advance(dueTime - TimeSpan.FromTicks(1));
        await SettleAsync();
    }

    /// <summary>
    /// Gives continuations a chance to run (real time) before asserting that nothing happened: a wrong delay that an
    /// advance made due would show by then.
    /// </summary>
    public static Task SettleAsync() => Task.Delay(50);
}
