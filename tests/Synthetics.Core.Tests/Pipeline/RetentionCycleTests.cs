using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Synthetics.Configuration;
using Synthetics.Core.Tests.Support;
using Synthetics.Detection;
using Synthetics.Pipeline;
using Synthetics.Scheduling;
using Synthetics.Storage;
using static Synthetics.Core.Tests.Storage.StorageTestData;

namespace Synthetics.Core.Tests.Pipeline;

public sealed class RetentionCycleTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    // The shipped schedule's occurrence (minute 17 of the hour), forty days after the test data.
    private static readonly DateTimeOffset Slot = Start.AddDays(40).AddMinutes(17);

    private static DateTimeOffset At(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);

    [Fact]
    public async Task RunOnceAsync_ThreeAppsWithClocksApartRacing_OneDeletesTwoSkip()
    {
        var options = Options(azurite.ConnectionString);
        var store = Store(options);
        await store.WriteAsync(Grid(Start, 3, ["eastus", "westeurope"], ["a", "b"], ["tcp"]), None);
        // Three apps, clocks 0, 2.5 and 5 s apart, each firing at its own clock's occurrence.
        var apps = new[] { "eastus", "westeurope", "southeastasia" }
            .Select((vantage, i) => App(options, vantage, new FakeTimeProvider(Slot.AddSeconds(2.5 * i))))
            .ToList();

        var runs = await Task.WhenAll(apps.Select(app => Task.Run(() => app.RunOnceAsync(None))));

        var ran = Assert.Single(runs, r => !r.Skipped);
        Assert.Equal(2, runs.Count(r => r.Skipped && r.Succeeded && r.Report!.Deleted == 0));
        Assert.Equal(3 * 2 * 2 * 2, ran.Report!.Deleted); // both result tables
        Assert.Empty(await store.ReadWindowAsync(Start.AddMinutes(-1), Start.AddHours(1), None));
    }

    [Fact]
    public async Task RunOnceAsync_NextOccurrence_IsClaimedAgain()
    {
        var options = Options(azurite.ConnectionString);
        var time = new FakeTimeProvider(Slot);
        var first = App(options, "eastus", time);
        var second = App(options, "westeurope", new FakeTimeProvider(Slot.AddMinutes(5)));

        var run = await first.RunOnceAsync(None);
        var sameHour = await second.RunOnceAsync(None);
        time.Advance(TimeSpan.FromHours(1));
        var nextHour = await first.RunOnceAsync(None);

        Assert.Equal((false, true, false), (run.Skipped, sameHour.Skipped, nextHour.Skipped));
    }

    [Fact]
    public async Task RunOnceAsync_IncidentHistory_DeletesEventsOlderThanRetentionKeepsRecent()
    {
        var options = Options(azurite.ConnectionString);
        options.Storage.RetentionDays = 30;
        var history = IncidentStore(options);
        var old = Enumerable.Range(0, 120).Select(i => Event($"provider:ca-central#{i}", Slot.AddDays(-31).AddMinutes(i))).ToList();
        var recent = new[] { Event("provider:us-east", Slot.AddDays(-29)), Event("provider:ca-central#0", Slot.AddHours(-1), IncidentEventKind.Resolved) };
        foreach (var incidentEvent in old.Concat(recent))
        {
            await history.RecordAsync(incidentEvent, None);
        }

        var run = await App(options, "eastus", new FakeTimeProvider(Slot)).RunOnceAsync(None);

        Assert.Equal(120, run.Report!.HistoryDeleted);
        var kept = await history.HistoryAsync(Slot.AddYears(-1), None);
        Assert.Equal(recent.Select(e => (e.Incident.Id, e.At)).OrderBy(e => e.At), kept.Select(e => (e.Incident.Id, e.At)).OrderBy(e => e.At));
    }

    [Fact]
    public async Task RunOnceAsync_ClaimsOfPastSlots_AreDeletedWithTheHistory()
    {
        var options = Options(azurite.ConnectionString);
        options.Storage.RetentionDays = 1;
        var claims = Claims(options);
        await claims.TryClaimAsync(ResultRetention.RunName, Slot.AddDays(-2), "eastus", None);
        await claims.TryClaimAsync(ResultRetention.RunName, Slot.AddHours(-1), "eastus", None);

        var run = await App(options, "eastus", new FakeTimeProvider(Slot)).RunOnceAsync(None);

        Assert.Equal(1, run.Report!.ClaimsDeleted);
        Assert.False(await claims.TryClaimAsync(ResultRetention.RunName, Slot.AddHours(-1), "westeurope", None));
        Assert.True(await claims.TryClaimAsync(ResultRetention.RunName, Slot.AddDays(-2), "westeurope", None));
    }

    [Fact]
    public async Task RunOnceAsync_DiscoveryClaimsOfPastSlots_AreDeletedToo()
    {
        var options = Options(azurite.ConnectionString);
        options.Storage.RetentionDays = 1;
        var claims = Claims(options);
        await claims.TryClaimAsync(DiscoveryCycle.RunName, Slot.AddDays(-2), "eastus", None);
        await claims.TryClaimAsync(DiscoveryCycle.RunName, Slot.AddHours(-1), "eastus", None);

        var run = await App(options, "eastus", new FakeTimeProvider(Slot)).RunOnceAsync(None);

        Assert.Equal(1, run.Report!.ClaimsDeleted);
        Assert.True(await claims.TryClaimAsync(DiscoveryCycle.RunName, Slot.AddDays(-2), "westeurope", None));
        Assert.False(await claims.TryClaimAsync(DiscoveryCycle.RunName, Slot.AddHours(-1), "westeurope", None));
    }

    [Fact]
    public async Task RunOnceAsync_MaintenanceWarningClaimsOlderThanRetention_AreDeletedRecentOnesKept()
    {
        var options = Options(azurite.ConnectionString);
        options.Storage.RetentionDays = 1;
        var claims = Claims(options);
        // One claim per maintenance and stage, its slot the maintenance's start.
        await claims.TryClaimAsync("maintenance-ahead|m-old", Slot.AddDays(-3), "eastus", None);
        await claims.TryClaimAsync("maintenance-shortly|m-old", Slot.AddDays(-3), "eastus", None);
        await claims.TryClaimAsync("maintenance-ahead|account-maintenance-nodebalancer-880101-202603121400", Slot.AddDays(-2), "eastus", None);
        await claims.TryClaimAsync("maintenance-ahead|m-soon", Slot.AddHours(20), "eastus", None);

        var run = await App(options, "eastus", new FakeTimeProvider(Slot)).RunOnceAsync(None);

        Assert.Equal(3, run.Report!.ClaimsDeleted);
        Assert.True(await claims.TryClaimAsync("maintenance-ahead|m-old", Slot.AddDays(-3), "westeurope", None));
        Assert.False(await claims.TryClaimAsync("maintenance-ahead|m-soon", Slot.AddHours(20), "westeurope", None));
    }

    [Theory]
    [InlineData("2026-12-30T10:17:00Z", "2026-12-30T10:17:00Z")]
    [InlineData("2026-12-30T10:17:04.9Z", "2026-12-30T10:17:00Z")]
    [InlineData("2026-12-30T10:16:59Z", "2026-12-30T09:17:00Z")]
    [InlineData("2027-01-01T00:05:00Z", "2026-12-31T23:17:00Z")]
    public void Occurrence_HourlySchedule_IsTheLatestAtOrBeforeNow(string now, string expected)
    {
        var schedule = CronSchedule.Parse("Synthetics:RetentionSchedule", "0 17 * * * *", TimeScaling.RealTime);

        Assert.Equal(At(expected), RetentionCycle.Occurrence(schedule, At(now)));
    }

    [Fact]
    public void Occurrence_ScaledSchedule_MatchesTheTickTheSchedulerWaitsFor()
    {
        var schedule = CronSchedule.Parse("Synthetics:RetentionSchedule", "0 17 * * * *", 60);
        var tick = schedule.Next(At("2026-12-30T10:00:00Z"));

        Assert.Equal(tick, RetentionCycle.Occurrence(schedule, tick));
        Assert.Equal(tick, RetentionCycle.Occurrence(schedule, tick.AddSeconds(30)));
    }

    private static RetentionCycle App(SyntheticsOptions shared, string vantage, TimeProvider time)
    {
        var options = new SyntheticsOptions { VantagePoint = vantage, Storage = shared.Storage };
        return new RetentionCycle(
            Retention(options, Store(options, time), time),
            Claims(options, time),
            time,
            Microsoft.Extensions.Options.Options.Create(options),
            NullLogger<RetentionCycle>.Instance);
    }

    private static IncidentEvent Event(string id, DateTimeOffset at, IncidentEventKind kind = IncidentEventKind.Opened) => new(
        kind,
        new Incident { Id = id, Key = id, Scope = IncidentScope.Target, Region = "ca-central", FirstSeenAt = at, OpenedAt = at },
        at);
}
