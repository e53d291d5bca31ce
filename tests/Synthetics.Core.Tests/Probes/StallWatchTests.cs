using Synthetics.Core.Tests.Support;
using Synthetics.Probes;

namespace Synthetics.Core.Tests.Probes;

public sealed class StallWatchTests
{
    private static readonly TimeSpan Threshold = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Tick = Threshold / 4;

    [Fact]
    public async Task TicksOnTime_AreNoStall()
    {
        var time = new RecordingTimeProvider();
        await using var watch = StallWatch.Start(time, Threshold);

        for (var tick = 1; tick <= 8; tick++)
        {
            await time.WaitForScheduledAsync(Tick, tick);
            time.Advance(Tick);
        }

        Assert.False(watch.Stalled);
        Assert.Equal(TimeSpan.Zero, watch.Longest);
        Assert.Null(watch.LongestAt);
    }

    [Fact]
    public async Task ATickLaterThanTheThreshold_IsAStall_MeasuredFromWhenItWasDue()
    {
        var time = new RecordingTimeProvider();
        await using var watch = StallWatch.Start(time, Threshold);
        await time.WaitForScheduledAsync(Tick);

        // The process did not run for 3 s: its timer fires 2.75 s late.
        time.Advance(TimeSpan.FromSeconds(3));
        await time.WaitForScheduledAsync(Tick, 2);

        Assert.True(watch.Stalled);
        Assert.Equal(TimeSpan.FromSeconds(3) - Tick, watch.Longest);
        Assert.Equal(time.GetUtcNow(), watch.LongestAt);
    }

    [Fact]
    public async Task ATickLateByLessThanTheThreshold_IsMeasuredButNoStall()
    {
        var time = new RecordingTimeProvider();
        await using var watch = StallWatch.Start(time, Threshold);
        await time.WaitForScheduledAsync(Tick);

        time.Advance(Tick + TimeSpan.FromMilliseconds(900));
        await time.WaitForScheduledAsync(Tick, 2);

        Assert.False(watch.Stalled);
        Assert.Equal(TimeSpan.FromMilliseconds(900), watch.Longest);
    }

    [Fact]
    public async Task WhatWasSeen_StaysReadableAfterTheWatchStops()
    {
        var time = new RecordingTimeProvider();
        var watch = StallWatch.Start(time, Threshold);
        await time.WaitForScheduledAsync(Tick);
        time.Advance(TimeSpan.FromSeconds(2));
        await time.WaitForScheduledAsync(Tick, 2);

        await watch.DisposeAsync();
        await watch.DisposeAsync();
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(watch.Stalled);
        Assert.Equal(TimeSpan.FromSeconds(2) - Tick, watch.Longest);
    }

    [Fact]
    public async Task AZeroThreshold_WatchesNothing()
    {
        var time = new RecordingTimeProvider();
        await using var watch = StallWatch.Start(time, TimeSpan.Zero);

        time.Advance(TimeSpan.FromMinutes(1));
        await RecordingTimeProvider.SettleAsync();

        Assert.Empty(time.DueTimes);
        Assert.False(watch.Stalled);
    }
}
