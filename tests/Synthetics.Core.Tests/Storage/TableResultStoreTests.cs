using Synthetics.Core.Tests.Support;
using Synthetics.Results;
using Synthetics.Storage;
using static Synthetics.Core.Tests.Storage.StorageTestData;

namespace Synthetics.Core.Tests.Storage;

public sealed class TableResultStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private readonly CancellationToken _token = CancellationToken.None;

    [Fact]
    public async Task WriteAsync_EveryField_RoundTripsThroughBothTables()
    {
        var store = Store(Options(azurite.ConnectionString));
        var full = new ProbeResult
        {
            Timestamp = Start.AddTicks(1234567),
            Vantage = "west europe/1",
            Target = "ca#prod?api",
            TargetKind = "KubernetesApi",
            Probe = "kube-health",
            Region = "ca-central",
            Outcome = ProbeOutcome.Unhealthy,
            DurationMs = 123.4567891234,
            Phases = new ProbePhases { DnsMs = 1.25, ConnectMs = 2.5, TlsMs = 3.75, TtfbMs = 40.125, TransferMs = 0.0625 },
            StatusCode = 500,
            RemoteAddress = "203.0.113.10:443",
            Message = "readyz: [-]etcd failed",
            Details = new Dictionary<string, object>
            {
                ["certDaysLeft"] = 42,
                ["renewP99Ms"] = 17.5,
                ["failedChecks"] = new[] { "etcd", "poststarthook/x" },
                ["reused"] = true,
                ["issuer"] = "CN=lab CA",
            },
        };
        var minimal = Result(Start.AddSeconds(5), outcome: ProbeOutcome.Timeout);

        await store.WriteAsync([full, minimal], _token);

        var byTime = await store.ReadWindowAsync(Start, Start.AddMinutes(1), _token);
        var byTarget = await store.ReadTargetAsync("ca-central", "ca#prod?api", Start.AddDays(-1), Start.AddDays(1), _token);
        Assert.Equal(2, byTime.Count);
        Assert.Single(byTarget);
        foreach (var read in new[] { byTime.Single(r => r.Target == full.Target), byTarget[0] })
        {
            Assert.Equal(full.Timestamp, read.Timestamp);
            Assert.Equal(full.DurationMs, read.DurationMs);
            Assert.Equal(full.Phases, read.Phases);
            Assert.Equal(ProbeResultJson.Serialize(full), ProbeResultJson.Serialize(read));
        }

        var readMinimal = byTime.Single(r => r.Target == minimal.Target);
        Assert.Equal(ProbePhases.None, readMinimal.Phases);
        Assert.Null(readMinimal.StatusCode);
        Assert.Empty(readMinimal.Details);
        Assert.Equal(ProbeResultJson.Serialize(minimal), ProbeResultJson.Serialize(readMinimal));
    }

    [Fact]
    public async Task WriteAsync_SameBatchTwice_StoresNoDuplicates()
    {
        var store = Store(Options(azurite.ConnectionString));
        var batch = Grid(Start, 2, ["eastus", "westeurope"], ["a", "b", "c"], ["tcp", "http"]);

        await store.WriteAsync(batch, _token);
        await store.WriteAsync(batch, _token); // a retry after a timeout that had in fact landed
        await store.WriteAsync([.. batch, .. batch.Take(3)], _token); // duplicates inside one batch too

        Assert.Equal(batch.Count, (await store.ReadWindowAsync(Start, Start.AddMinutes(2), _token)).Count);
        Assert.Equal(batch.Count / 3, (await store.ReadTargetAsync("ca-central", "a", Start, Start.AddMinutes(2), _token)).Count);
    }

    [Fact]
    public async Task WriteAsync_MoreThan100InOnePartition_SplitsIntoTransactionsOf100()
    {
        var store = Store(Options(azurite.ConnectionString));
        // 250 results of one vantage in one minute (one partition in the time table) for one target (one in the other).
        var batch = Enumerable.Range(0, 250).Select(i => Result(Start.AddMilliseconds(i * 10), probe: "tcp")).ToList();

        var report = await store.WriteAsync(batch, _token);

        Assert.Equal(500, report.Entities);
        Assert.Equal(6, report.Transactions); // ⌈250/100⌉ per table
        Assert.Equal(250, (await store.ReadWindowAsync(Start, Start.AddMinutes(1), _token)).Count);
    }

    [Fact]
    public async Task ReadWindowAsync_AcrossPartitionsWithSmallPages_FollowsContinuationAndKeepsBounds()
    {
        var store = Store(Options(azurite.ConnectionString, readPageSize: 7));
        var batch = Grid(Start, 6, ["eastus", "westeurope", "southeastasia"], ["a", "b", "c", "d"], ["tcp", "http"]);
        await store.WriteAsync(batch, _token);

        // Minutes 1–4 of 0–5: 4 minutes × 3 vantages = 12 partitions of 8 rows, read 7 at a time.
        var window = await store.ReadWindowAsync(Start.AddMinutes(1), Start.AddMinutes(5), _token);

        Assert.Equal(4 * 3 * 4 * 2, window.Count);
        Assert.All(window, r => Assert.InRange(r.Timestamp, Start.AddMinutes(1), Start.AddMinutes(5)));
        Assert.Equal(window.Count, window.Select(r => (r.Vantage, r.Target, r.Probe, r.Timestamp)).Distinct().Count());
        Assert.Equal(window.OrderBy(r => r.Timestamp).Select(r => r.Timestamp), window.Select(r => r.Timestamp));
    }

    [Fact]
    public async Task ReadTargetAsync_SeveralDays_ReturnsOnlyThatTargetInTimeOrder()
    {
        var store = Store(Options(azurite.ConnectionString, readPageSize: 5));
        var results = new List<ProbeResult>();
        for (var day = 0; day < 4; day++)
        {
            // "ab" and "a/x" sort right beside "a": a target's row-key range must not take them in.
            results.AddRange(Grid(Start.AddDays(day), 3, ["eastus", "westeurope"], ["a", "ab", "a/x", "b"], ["tcp"]));
            results.AddRange(Grid(Start.AddDays(day), 3, ["eastus"], ["a"], ["tcp"], region: "us-east"));
        }

        await store.WriteAsync(results, _token);

        // Day 1 at 10:00 to day 3 at 10:02 (exclusive): days 1 and 2 whole, two minutes of day 3.
        var evidence = await store.ReadTargetAsync("ca-central", "a", Start.AddDays(1), Start.AddDays(3).AddMinutes(2), _token);

        Assert.Equal((3 + 3 + 2) * 2, evidence.Count);
        Assert.All(evidence, r => Assert.Equal(("a", "ca-central"), (r.Target, r.Region)));
        Assert.Equal(evidence.OrderBy(r => r.Timestamp).Select(r => r.Timestamp), evidence.Select(r => r.Timestamp));
    }

    [Fact]
    public async Task ReadRegionAsync_SeveralDays_ReturnsEveryTargetOfThatRegionOnly()
    {
        var store = Store(Options(azurite.ConnectionString));
        var results = new List<ProbeResult>();
        for (var day = 0; day < 3; day++)
        {
            results.AddRange(Grid(Start.AddDays(day), 2, ["eastus"], ["a", "b", "c"], ["tcp"]));
            results.AddRange(Grid(Start.AddDays(day), 2, ["eastus"], ["x"], ["tcp"], region: "ca-central-2"));
            results.AddRange(Grid(Start.AddDays(day), 2, ["eastus"], ["y"], ["tcp"], region: "ca"));
        }

        await store.WriteAsync(results, _token);

        var region = await store.ReadRegionAsync("ca-central", Start, Start.AddDays(3), _token);

        Assert.Equal(3 * 2 * 3, region.Count);
        Assert.All(region, r => Assert.Equal("ca-central", r.Region));
    }

    [Fact]
    public async Task DeleteBeforeAsync_OldAndRecentResults_DeletesOnlyTheOld()
    {
        var options = Options(azurite.ConnectionString);
        options.Storage.RetentionDays = 2;
        var now = Start.AddDays(10);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now);
        var store = Store(options, time);
        var old = Grid(now.AddDays(-5), 3, ["eastus", "westeurope"], ["a", "b"], ["tcp", "http"]); // 24
        var older = Enumerable.Range(0, 150).Select(i => Result(now.AddDays(-4).AddMilliseconds(i), probe: "tcp")).ToList(); // > 100 in one partition
        var recent = Grid(now.AddDays(-1), 3, ["eastus"], ["a"], ["tcp"]);
        await store.WriteAsync([.. old, .. older, .. recent], _token);

        var report = await Retention(options, store, time).RunAsync(_token);

        Assert.True(report.Completed);
        Assert.Equal((24 + 150) * 2, report.Deleted);
        Assert.Empty(await store.ReadWindowAsync(now.AddDays(-6), now.AddDays(-3), _token));
        Assert.Empty(await store.ReadTargetAsync("ca-central", "ca-web", now.AddDays(-6), now.AddDays(-3), _token));
        Assert.Equal(3, (await store.ReadWindowAsync(now.AddDays(-2), now, _token)).Count);
        Assert.Equal(3, (await store.ReadTargetAsync("ca-central", "a", now.AddDays(-2), now, _token)).Count);
    }

    [Fact]
    public async Task WriteCycleAsync_ThenReadCyclesAsync_ReturnsEveryVantagesCyclesInTheRangeInStartOrder()
    {
        var store = Store(Options(azurite.ConnectionString));
        foreach (var (vantage, minute) in new[] { ("eu-west", 1), ("us-central", 0), ("eu-west", 0), ("eu-west", 3) })
        {
            var at = Start.AddMinutes(minute);
            var cycle = new CycleRecord(vantage, at, TimeSpan.FromSeconds(41.5), 1, 0);
            await store.WriteCycleAsync(cycle, [Result(at, vantage: vantage)], _token);
        }

        var cycles = await store.ReadCyclesAsync(Start, Start.AddMinutes(2), _token);

        Assert.Equal([("eu-west", Start), ("us-central", Start), ("eu-west", Start.AddMinutes(1))], cycles.Select(c => (c.Vantage, c.StartedAt)).OrderBy(c => c.Item2).ThenBy(c => c.Item1, StringComparer.Ordinal));
        Assert.All(cycles, c => Assert.Equal(TimeSpan.FromSeconds(41.5), c.Duration));
        Assert.Equal(4, (await store.ReadWindowAsync(Start, Start.AddMinutes(4), _token)).Count);
    }

    [Fact]
    public async Task ReadWindowAsync_NothingStoredYet_ReturnsEmpty()
    {
        var store = Store(Options(azurite.ConnectionString));

        Assert.Empty(await store.ReadWindowAsync(Start, Start.AddMinutes(5), _token));
    }
}
