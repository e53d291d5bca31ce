using Synthetics.Core.Tests.Support;
using Synthetics.Results;
using Synthetics.Storage;
using static Synthetics.Core.Tests.Storage.StorageTestData;

namespace Synthetics.Core.Tests.Storage;

public sealed class CycleResultCacheTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly string[] Vantages = ["eu-west", "us-central", "us-east"];
    private static readonly TimeSpan CycleLength = TimeSpan.FromSeconds(45);
    private readonly CancellationToken _token = CancellationToken.None;

    [Fact]
    public async Task ReadWindowAsync_WindowMovingMinuteByMinute_ReturnsWhatTheTableHoldsAndReadsOnlyTheNewCycles()
    {
        var store = new CountingResultStore(Store(Options(azurite.ConnectionString)));
        var cache = new CycleResultCache(store);
        for (var minute = 0; minute < 8; minute++)
        {
            await StoreCyclesAsync(store, minute);
        }

        for (var minute = 8; minute < 12; minute++)
        {
            await StoreCyclesAsync(store, minute);
            var since = Start.AddMinutes(minute - 6).AddSeconds(20);
            var until = Start.AddMinutes(minute + 1);
            store.Ranges.Clear();

            var cached = await cache.ReadWindowAsync(since, until, _token);

            var direct = await store.Inner.ReadWindowAsync(since, until, _token);
            Assert.Equal(Identities(direct), Identities(cached));
            Assert.Equal(direct.Select(r => r.Timestamp), cached.Select(r => r.Timestamp));
            if (minute == 8)
            {
                // The first read brings every cycle that reaches into the range: one query over the whole of them.
                Assert.Equal([(Start.AddMinutes(2), Start.AddMinutes(8) + CycleLength)], store.Ranges.Select(Rounded));
            }
            else
            {
                // Afterwards only the minute whose cycles were stored since.
                Assert.Equal([(Start.AddMinutes(minute), Start.AddMinutes(minute) + CycleLength)], store.Ranges.Select(Rounded));
            }
        }

        // Cycles that ended before the last read's start are no longer held.
        Assert.Equal(7 * Vantages.Length, cache.CyclesHeld);
    }

    [Fact]
    public async Task ReadWindowAsync_ResultsOfACycleNotYetRecorded_LeftOutUntilItsRecordIsStored()
    {
        var store = new CountingResultStore(Store(Options(azurite.ConnectionString)));
        var cache = new CycleResultCache(store);
        await StoreCyclesAsync(store, 0);
        var inFlight = Cycle("us-east", 1);
        await store.WriteAsync(inFlight.Results, _token);

        var before = await cache.ReadWindowAsync(Start, Start.AddMinutes(2), _token);
        await store.WriteCycleAsync(inFlight.Record, inFlight.Results, _token);
        var after = await cache.ReadWindowAsync(Start, Start.AddMinutes(2), _token);

        Assert.DoesNotContain(before, r => r.Timestamp >= Start.AddMinutes(1));
        Assert.Equal(Vantages.Length * 3, before.Count);
        Assert.Equal(Identities([.. before, .. inFlight.Results]), Identities(after));
    }

    [Fact]
    public async Task ReadWindowAsync_CycleRecordedLateBehindHeldOnes_ReadWhenItsRecordArrives()
    {
        var store = new CountingResultStore(Store(Options(azurite.ConnectionString)));
        var cache = new CycleResultCache(store);
        for (var minute = 0; minute < 4; minute++)
        {
            await StoreCyclesAsync(store, minute, skip: minute == 1 ? "us-central" : null);
        }

        var first = await cache.ReadWindowAsync(Start, Start.AddMinutes(4), _token);
        var late = Cycle("us-central", 1);
        await store.WriteCycleAsync(late.Record, late.Results, _token);
        store.Ranges.Clear();
        var second = await cache.ReadWindowAsync(Start, Start.AddMinutes(4), _token);

        Assert.Equal(Identities([.. first, .. late.Results]), Identities(second));
        Assert.Equal([(Start.AddMinutes(1), Start.AddMinutes(1) + CycleLength)], store.Ranges.Select(Rounded));
    }

    [Fact]
    public async Task ReadWindowAsync_CycleThatStartedBeforeTheRange_ContributesItsResultsInsideIt()
    {
        var store = Store(Options(azurite.ConnectionString));
        var cache = new CycleResultCache(store);
        await StoreCyclesAsync(store, 0);
        await StoreCyclesAsync(store, 1);

        var since = Start.AddSeconds(20);
        var read = await cache.ReadWindowAsync(since, Start.AddMinutes(2), _token);

        Assert.Equal(Identities(await store.ReadWindowAsync(since, Start.AddMinutes(2), _token)), Identities(read));
        Assert.Contains(read, r => r.Timestamp < Start.AddMinutes(1));
        Assert.DoesNotContain(read, r => r.Timestamp < since);
    }

    [Fact]
    public async Task ReadWindowAsync_WithTheRecordsTheCallerJustRead_AsksTheTableOnlyForTheRecordsBeforeThem()
    {
        var store = new CountingResultStore(Store(Options(azurite.ConnectionString)));
        var cache = new CycleResultCache(store);
        for (var minute = 0; minute < 20; minute++)
        {
            await StoreCyclesAsync(store, minute);
        }

        // As the evaluator reads: the records of the last quarter hour, then a window whose baseline reaches 3 minutes before them.
        var (knownSince, until) = (Start.AddMinutes(5), Start.AddMinutes(20));
        var known = await store.Inner.ReadCyclesAsync(knownSince, until, _token);
        var since = Start.AddMinutes(2);
        var covered = await cache.ReadWindowAsync(since, until, (known, knownSince, until), _token);
        var recordsAsked = store.CycleRanges.ToList();

        Assert.Equal(Identities(await store.Inner.ReadWindowAsync(since, until, _token)), Identities(covered));
        // Only the gap before the records it was given, from where a cycle still reaching into the range may have started
        // (a cycle lasts ten minutes at most).
        Assert.Equal([(since - TimeSpan.FromMinutes(10), knownSince)], recordsAsked);
    }

    private static async Task StoreCyclesAsync(IResultStore store, int minute, string? skip = null)
    {
        foreach (var vantage in Vantages.Where(v => v != skip))
        {
            var (record, results) = Cycle(vantage, minute);
            await store.WriteCycleAsync(record, results, CancellationToken.None);
        }
    }

    // Three results spread over the cycle, the last one 40 s in: the cycle's record says it ran 45 s.
    private static (CycleRecord Record, ProbeResult[] Results) Cycle(string vantage, int minute)
    {
        var at = Start.AddMinutes(minute);
        ProbeResult[] results = [.. new[] { 0, 20, 40 }.Select(second => Result(at.AddSeconds(second).AddMilliseconds(Vantages.ToList().IndexOf(vantage)), vantage: vantage))];
        return (new CycleRecord(vantage, at, CycleLength, results.Length, 0), results);
    }

    private static List<string> Identities(IEnumerable<ProbeResult> results) =>
        [.. results.Select(r => $"{r.Vantage}|{r.Target}|{r.Probe}|{r.Timestamp.UtcTicks}").Order(StringComparer.Ordinal)];

    private static (DateTimeOffset, DateTimeOffset) Rounded((DateTimeOffset Since, DateTimeOffset Until) range) =>
        (range.Since, new DateTimeOffset(range.Until.UtcTicks - (range.Until.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero));
}
