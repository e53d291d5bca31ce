using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Synthetics.Configuration;
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

    [Theory]
    // Second 0 of each minute, 6× faster: every 10 s, on the anchor's grid (2020-01-01T00:00Z, so also on the wall clock's).
    [InlineData("0 * * * * *", 6, "2026-03-12T14:00:03Z", "2026-03-12T14:00:10Z")]
    [InlineData("0 * * * * *", 6, "2026-03-12T14:00:10Z", "2026-03-12T14:00:20Z")]
    // Evaluation at second 30, 6× faster: half way between two probe ticks.
    [InlineData("30 * * * * *", 6, "2026-03-12T14:00:00Z", "2026-03-12T14:00:05Z")]
    [InlineData("30 * * * * *", 6, "2026-03-12T14:00:05Z", "2026-03-12T14:00:15Z")]
    // 5×: a minute in 12 s, second 30 at 6 s in.
    [InlineData("0 * * * * *", 5, "2026-03-12T14:00:00Z", "2026-03-12T14:00:12Z")]
    [InlineData("30 * * * * *", 5, "2026-03-12T14:00:00Z", "2026-03-12T14:00:06Z")]
    // Hourly at :17, 5×: every 12 minutes, 3 min 24 s into each.
    [InlineData("0 17 * * * *", 5, "2026-03-12T14:00:00Z", "2026-03-12T14:03:24Z")]
    // Slower than real time works the same way.
    [InlineData("0 * * * * *", 0.5, "2026-03-12T14:00:00Z", "2026-03-12T14:02:00Z")]
    public void Next_Scaled_ReturnsTheOccurrenceOfTheScaledTimeline(string expression, double scale, string after, string expected)
    {
        var schedule = CronSchedule.TryParse(expression, out _)!.ScaledBy(scale);

        Assert.Equal(At(expected), schedule.Next(At(after)));
    }

    [Fact]
    public void Next_ScaleWithoutAWholePeriod_StrictlyAdvancesByTheScaledPeriodWithinATick()
    {
        // 60 s / 7 is not a whole number of ticks: rounding must never return an occurrence twice nor drift.
        var schedule = CronSchedule.Parse("Synthetics:ProbeSchedule", "0 * * * * *", 7);
        var at = At("2026-03-12T14:00:00Z");
        var previous = schedule.Next(at);
        for (var i = 0; i < 1000; i++)
        {
            var next = schedule.Next(previous);
            Assert.InRange((next - previous).Ticks, (TimeSpan.FromMinutes(1) / 7).Ticks - 1, (TimeSpan.FromMinutes(1) / 7).Ticks + 1);
            previous = next;
        }

        // A thousand scaled minutes later, still on the grid of the anchor.
        var minutes = (previous - CronSchedule.ScaleAnchor).Ticks * 7m / TimeSpan.TicksPerMinute;
        Assert.InRange(minutes - decimal.Round(minutes), 0m, 0.000001m);
    }

    [Fact]
    public void Next_TwoSchedulesOfOneSetting_AgreeOnTheirTicks()
    {
        // Several hosts in one process (demo's vantages) or several processes tick together: the anchor is fixed.
        var first = CronSchedule.Parse("Synthetics:ProbeSchedule", "0 * * * * *", 6);
        var second = CronSchedule.TryParse("0 * * * * *", out _)!.ScaledBy(6);

        Assert.Equal(first.Next(At("2026-03-12T14:00:01.234Z")), second.Next(At("2026-03-12T14:00:01.234Z")));
    }

    [Fact]
    public async Task WaitForNextAsync_Scaled_WaitsForTheScaledTick()
    {
        var time = new FakeTimeProvider(At("2026-03-12T14:00:00.500Z"));
        var schedule = CronSchedule.Parse("Synthetics:ProbeSchedule", "0 * * * * *", 6);

        var next = schedule.WaitForNextAsync(time, previous: null, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.5));

        Assert.Equal(At("2026-03-12T14:00:10Z"), await next);
    }

    [Fact]
    public async Task WaitForNextAsync_RunOverranSeveralTicks_SkipsThemForTheComingOne()
    {
        // The run of 14:00:01 ended at 14:00:06.5: the ticks of :02 to :06 are gone, as a timer trigger's past-due ticks are.
        var time = new FakeTimeProvider(At("2026-03-12T14:00:06.500Z"));
        var schedule = CronSchedule.TryParse("* * * * * *", out _)!;

        var next = schedule.WaitForNextAsync(time, previous: At("2026-03-12T14:00:01Z"), CancellationToken.None);
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.5));

        Assert.Equal(At("2026-03-12T14:00:07Z"), await next);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(101)]
    public void Parse_TimeScaleOutOfRange_NamesTheSetting(double scale)
    {
        var error = Assert.Throws<ConfigurationException>(() => CronSchedule.Parse("Synthetics:ProbeSchedule", "0 * * * * *", scale));

        Assert.Contains("Synthetics:TimeScale", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidExpression_NamesTheSetting()
    {
        var error = Assert.Throws<ConfigurationException>(() => CronSchedule.Parse("Synthetics:EvaluationSchedule", "* * * * *", 1));

        Assert.Contains("Synthetics:EvaluationSchedule '* * * * *' has 5 fields", error.Message, StringComparison.Ordinal);
    }
}
