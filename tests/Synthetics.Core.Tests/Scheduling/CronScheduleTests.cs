using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Synthetics.Scheduling;

namespace Synthetics.Core.Tests.Scheduling;

public sealed class CronScheduleTests
{
    private static DateTimeOffset At(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("0 * * * * *", "2026-03-12T14:00:30Z", "2026-03-12T14:01:00Z")]
    [InlineData("*/5 * * * * *", "2026-03-12T14:00:31Z", "2026-03-12T14:00:35Z")]
    [InlineData("30 * * * * *", "2026-03-12T14:00:30Z", "2026-03-12T14:01:30Z")]
    [InlineData("0 0 * * * *", "2026-03-12T14:00:00Z", "2026-03-12T15:00:00Z")]
    public void Next_SixFieldExpression_ReturnsFollowingOccurrenceInUtc(string expression, string after, string expected)
    {
        var schedule = CronSchedule.TryParse(expression, out _)!;

        Assert.Equal(At(expected), schedule.Next(At(after)));
    }

    [Theory]
    [InlineData("* * * * *", "six are needed")]
    [InlineData("", "is empty")]
    [InlineData("61 * * * * *", "not a valid NCRONTAB expression")]
    public void TryParse_Invalid_ExplainsWhy(string expression, string expected)
    {
        Assert.Null(CronSchedule.TryParse(expression, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForNextAsync_ClockShortOfPreviousOccurrence_NeverReturnsItTwice()
    {
        // The timer that returned 14:00:01 woke a hair early: the clock still reads 14:00:00.999.
        var time = new FakeTimeProvider(At("2026-03-12T14:00:00.999Z"));
        var schedule = CronSchedule.TryParse("* * * * * *", out _)!;

        var next = schedule.WaitForNextAsync(time, previous: At("2026-03-12T14:00:01Z"), CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(At("2026-03-12T14:00:02Z"), await next);
    }

    [Fact]
    public async Task WaitForNextAsync_FirstCall_WaitsForTheComingOccurrence()
    {
        var time = new FakeTimeProvider(At("2026-03-12T14:00:00.500Z"));
        var schedule = CronSchedule.TryParse("*/5 * * * * *", out _)!;

        var next = schedule.WaitForNextAsync(time, previous: null, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(At("2026-03-12T14:00:05Z"), await next);
    }
}
