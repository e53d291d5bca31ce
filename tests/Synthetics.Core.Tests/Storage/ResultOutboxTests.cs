using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Synthetics.Core.Tests.Support;
using Synthetics.Probes;
using Synthetics.Results;
using Synthetics.Storage;
using Synthetics.Targets;
using static Synthetics.Core.Tests.Storage.StorageTestData;

namespace Synthetics.Core.Tests.Storage;

public sealed class ResultOutboxTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static ResultOutbox Outbox(Synthetics.Configuration.SyntheticsOptions options, IResultStore store) =>
        new(store, Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, NullLogger<ResultOutbox>.Instance);

    [Fact]
    public async Task FlushAsync_AzuriteStoppedMidRun_KeepsResultsOnDiskAndWritesThemExactlyOnceAfterRestart()
    {
        using var azurite = await AzuriteProcess.StartNewAsync();
        var options = Options(azurite.ConnectionString, outbox: Path.Combine(_dir.Path, "outbox"));
        options.Storage.RequestTimeoutSeconds = 2;
        var store = Store(options);
        using var outbox = Outbox(options, store);
        // Real probe cycles: three TCP targets on a closed loopback port, each a quick "refused".
        var runner = ProbeHarness.Runner(ProbeHarness.Options(p => p.MaxStartsPerSecond = 0));
        var closed = FreePort.Take();
        var targets = Enumerable.Range(0, 3).Select(i => new Target
        {
            Name = $"db-{i}",
            Kind = TargetKind.Tcp,
            Region = "ca-central",
            Endpoint = new TargetEndpoint("127.0.0.1", closed, UseTls: false),
            Timeout = TimeSpan.FromSeconds(2),
            SlowThreshold = TimeSpan.FromSeconds(2),
            Probes = new HashSet<string> { "tcp" },
        }).ToList();
        var produced = new List<ProbeResult>();

        async Task<(OutboxFlushReport Flush, TimeSpan Enqueue)> CycleAsync()
        {
            var report = await runner.RunAsync(targets, CancellationToken.None);
            produced.AddRange(report.Results);
            var enqueue = Stopwatch.StartNew();
            await outbox.EnqueueAsync(report);
            enqueue.Stop();
            return (await outbox.FlushAsync(TimeSpan.FromSeconds(10), CancellationToken.None), enqueue.Elapsed);
        }

        for (var cycle = 0; cycle < 2; cycle++)
        {
            Assert.True((await CycleAsync()).Flush.Completed);
        }

        Assert.Equal(6, (await store.ReadWindowAsync(produced[0].Timestamp.AddMinutes(-1), produced[^1].Timestamp.AddMinutes(1), CancellationToken.None)).Count);
        Assert.Empty(Directory.EnumerateFiles(outbox.DirectoryPath, "*.jsonl"));

        azurite.Stop();
        var duringOutage = produced.Count;
        for (var cycle = 0; cycle < 3; cycle++)
        {
            var (flush, enqueue) = await CycleAsync();
            Assert.False(flush.Completed);
            Assert.Equal(cycle + 1, flush.Pending);
            Assert.True(enqueue < TimeSpan.FromSeconds(2), $"enqueue took {enqueue}: the cycle must not wait for storage");
        }

        var spilled = Directory.EnumerateFiles(outbox.DirectoryPath, "*.jsonl").ToList();
        Assert.Equal(3, spilled.Count);
        Assert.Equal(3 * (1 + 3), spilled.Sum(f => File.ReadAllLines(f).Length)); // each: the cycle's record, then its three results

        // Same port, fresh in-memory service: the tables are gone too and must be created again.
        await azurite.StartAsync();
        var afterRestart = await CycleAsync();
        var again = await outbox.FlushAsync(TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.True(afterRestart.Flush.Completed);
        Assert.Equal(4, afterRestart.Flush.Batches);
        Assert.Equal(0, afterRestart.Flush.Pending);
        Assert.Equal(0, again.Batches);
        Assert.Empty(Directory.EnumerateFiles(outbox.DirectoryPath));
        var stored = await store.ReadWindowAsync(produced[0].Timestamp.AddMinutes(-1), produced[^1].Timestamp.AddMinutes(1), CancellationToken.None);
        var expected = produced.Skip(duringOutage).ToList();
        Assert.Equal(expected.Count, stored.Count);
        Assert.Equal(
            expected.Select(ProbeResultJson.Serialize).Order(StringComparer.Ordinal),
            stored.Select(ProbeResultJson.Serialize).Order(StringComparer.Ordinal));
        // Every cycle after the restart is whole in the table, its record included: the evaluator will judge each once.
        var cycles = await store.ReadCyclesAsync(produced[0].Timestamp.AddMinutes(-1), produced[^1].Timestamp.AddMinutes(1), CancellationToken.None);
        Assert.Equal(4, cycles.Count);
        Assert.All(cycles, c => Assert.Equal((options.VantagePoint, 3, 3), (c.Vantage, c.Results, c.Failed)));
    }

    [Fact]
    public async Task FlushAsync_BatchStoredButFileLeftBehind_WritesItAgainWithoutDuplicates()
    {
        using var azurite = await AzuriteProcess.StartNewAsync();
        var options = Options(azurite.ConnectionString, outbox: Path.Combine(_dir.Path, "outbox"));
        var store = Store(options);
        using var outbox = Outbox(options, store);
        var batch = Grid(Start, 2, ["eastus"], ["a", "b"], ["tcp", "http"]);
        await outbox.EnqueueAsync(batch);
        var file = Directory.EnumerateFiles(outbox.DirectoryPath, "*.jsonl").Single();
        var copy = File.ReadAllText(file);

        await outbox.FlushAsync(CancellationToken.None);
        // A crash between the write and the delete leaves the file: the next flush writes it again.
        await File.WriteAllTextAsync(file, copy);
        var second = await outbox.FlushAsync(CancellationToken.None);

        Assert.Equal(1, second.Batches);
        Assert.Equal(batch.Count, (await store.ReadWindowAsync(Start, Start.AddMinutes(2), CancellationToken.None)).Count);
    }

    [Fact]
    public async Task FlushAsync_UnreadableBatch_SetsItAsideAndStoresTheRest()
    {
        using var azurite = await AzuriteProcess.StartNewAsync();
        var options = Options(azurite.ConnectionString, outbox: Path.Combine(_dir.Path, "outbox"));
        var store = Store(options);
        using var outbox = Outbox(options, store);
        Directory.CreateDirectory(outbox.DirectoryPath);
        await File.WriteAllTextAsync(Path.Combine(outbox.DirectoryPath, "0000000000000000001-bad.jsonl"), "{not json");
        await outbox.EnqueueAsync([Result(Start)]);

        var flush = await outbox.FlushAsync(CancellationToken.None);

        Assert.True(flush.Completed);
        Assert.Equal(1, flush.Results);
        Assert.Single(Directory.EnumerateFiles(outbox.DirectoryPath, "*.bad"));
    }
}
