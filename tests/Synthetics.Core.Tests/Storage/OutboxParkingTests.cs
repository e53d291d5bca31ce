using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Synthetics.Configuration;
using Synthetics.Core.Tests.Support;
using Synthetics.Probes;
using Synthetics.Results;
using Synthetics.Storage;
using static Synthetics.Core.Tests.Storage.StorageTestData;

namespace Synthetics.Core.Tests.Storage;

/// <summary>
/// The outbox with host storage: two Azurites, one for the results tables (stopped to take them away) and one for the
/// app's host storage, where batches a flush could not store are parked for any instance of the vantage.
/// </summary>
public sealed class OutboxParkingTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task FlushAsync_InstanceDiesAfterParking_NewInstanceStoresEverythingExactlyOnceOldestFirst()
    {
        using var results = await AzuriteProcess.StartNewAsync();
        using var host = await AzuriteProcess.StartNewAsync();
        var options = HostedOptions(results, host, "first");
        var cycles = Enumerable.Range(0, 4).Select(i => Cycle(Start.AddMinutes(i), 3)).ToList();
        results.Stop();
        using (var first = Instance(options, Store(options)))
        {
            foreach (var cycle in cycles.Take(3))
            {
                await first.EnqueueAsync(cycle);
            }

            var failed = await first.FlushAsync(TimeSpan.FromSeconds(10), None);

            Assert.False(failed.Completed);
            Assert.Equal((0, 3, 3), (failed.Batches, failed.Parked, failed.Pending));
            Assert.Empty(Directory.EnumerateFiles(first.DirectoryPath, "*.jsonl"));
        }

        // The instance goes, and its disk with it; a fresh one of the same vantage starts with an empty directory.
        Directory.Delete(Path.Combine(_dir.Path, "first"), recursive: true);
        await results.StartAsync();
        options.Storage.OutboxDirectory = Path.Combine(_dir.Path, "second");
        var store = new RecordingStore(Store(options));
        using var second = Instance(options, store);
        await second.EnqueueAsync(cycles[3]);

        var flush = await second.FlushAsync(TimeSpan.FromSeconds(10), None);
        var again = await second.FlushAsync(TimeSpan.FromSeconds(10), None);

        Assert.True(flush.Completed);
        Assert.Equal((4, 12, 0), (flush.Batches, flush.Results, flush.Pending));
        Assert.Equal(0, again.Batches);
        Assert.Equal(cycles.Select(c => c.StartedAt), store.CyclesWritten);
        Assert.Empty(await Parking(options).ListAsync(None));
        await AssertStoredExactlyAsync(options, cycles);
    }

    [Fact]
    public async Task FlushAsync_ResultsTableDownAcrossInstancesAndFlushes_NeverLosesAParkedBatch()
    {
        using var results = await AzuriteProcess.StartNewAsync();
        using var host = await AzuriteProcess.StartNewAsync();
        var optionsA = HostedOptions(results, host, "a");
        var optionsB = HostedOptions(results, host, "b");
        // Two instances of one vantage: the same tables, their own disks.
        optionsB.Storage = Copy(optionsA.Storage, Path.Combine(_dir.Path, "b"));
        var cycles = Enumerable.Range(0, 2).Select(i => Cycle(Start.AddMinutes(i), 2)).ToList();
        using var a = Instance(optionsA, Store(optionsA));
        using var b = Instance(optionsB, Store(optionsB));
        results.Stop();

        await a.EnqueueAsync(cycles[0]);
        var parkedByA = await a.FlushAsync(TimeSpan.FromSeconds(10), None);
        await b.EnqueueAsync(cycles[1]);
        var parkedByB = await b.FlushAsync(TimeSpan.FromSeconds(10), None);
        var retriedByA = await a.FlushAsync(TimeSpan.FromSeconds(10), None);

        Assert.Equal((1, 1), (parkedByA.Parked, parkedByA.Pending));
        Assert.Equal((1, 2), (parkedByB.Parked, parkedByB.Pending));
        Assert.Equal((0, 0, 2, false), (retriedByA.Batches, retriedByA.Parked, retriedByA.Pending, retriedByA.Completed));
        Assert.Equal(2, (await Parking(optionsA).ListAsync(None)).Count);

        // The service returns; both instances flush at once: each row once, every parked batch gone.
        await results.StartAsync();
        var flushes = await Task.WhenAll(a.FlushAsync(TimeSpan.FromSeconds(10), None), b.FlushAsync(TimeSpan.FromSeconds(10), None));

        Assert.All(flushes, f => Assert.True(f.Completed));
        Assert.Empty(await Parking(optionsA).ListAsync(None));
        await AssertStoredExactlyAsync(optionsA, cycles);
    }

    [Fact]
    public async Task EnqueueAsync_WhileAFlushWaitsOnTheResultsTable_ReturnsAndTheBudgetParksBoth()
    {
        using var host = await AzuriteProcess.StartNewAsync();
        var options = Options("UseDevelopmentStorage=true", outbox: Path.Combine(_dir.Path, "outbox"));
        options.Storage.OutboxConnectionString = host.ConnectionString;
        var time = new FakeTimeProvider(Start);
        var store = new HangingStore();
        using var outbox = Instance(options, store, time);
        await outbox.EnqueueAsync(Cycle(Start, 2));

        var flush = outbox.FlushAsync(TimeSpan.FromSeconds(15), None);
        await store.Entered;
        await outbox.EnqueueAsync(Cycle(Start.AddMinutes(1), 2));
        var enqueuedWhileWriting = Directory.EnumerateFiles(outbox.DirectoryPath, "*.jsonl").Count();
        var flushStillWaiting = !flush.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(15));
        var report = await flush;

        Assert.True(flushStillWaiting);
        Assert.Equal(2, enqueuedWhileWriting);
        Assert.Equal((false, 2, 2), (report.Completed, report.Parked, report.Pending));
        Assert.Empty(Directory.EnumerateFiles(outbox.DirectoryPath, "*.jsonl"));
        Assert.Equal(2, (await Parking(options).ListAsync(None)).Count);
    }

    [Fact]
    public async Task FlushAsync_ParkedBatchNotReadable_SetsItAsideAndStoresTheRest()
    {
        using var results = await AzuriteProcess.StartNewAsync();
        using var host = await AzuriteProcess.StartNewAsync();
        var options = HostedOptions(results, host, "outbox");
        var parking = Parking(options);
        await parking.ParkAsync("0000000000000000001-damaged", "{not json\n", None);
        using var outbox = Instance(options, Store(options));
        await outbox.EnqueueAsync(Cycle(Start, 2));

        var flush = await outbox.FlushAsync(TimeSpan.FromSeconds(10), None);
        var again = await outbox.FlushAsync(TimeSpan.FromSeconds(10), None);

        Assert.Equal((true, 1, 0), (flush.Completed, flush.Batches, flush.Pending));
        Assert.Equal(0, again.Batches);
        Assert.Empty(await parking.ListAsync(None));
        var table = ResultStorageServiceCollectionExtensions.CreateOutboxServiceClient(options.Storage)!.GetTableClient(options.Storage.OutboxTable);
        var aside = Assert.Single(await table.QueryAsync<Azure.Data.Tables.TableEntity>().ToListAsync());
        Assert.Equal(("test-vantage|bad", "0000000000000000001-damaged"), (aside.PartitionKey, aside.RowKey));
        await AssertStoredExactlyAsync(options, [Cycle(Start, 2)]);
    }

    [Fact]
    public async Task ParkAsync_BatchLargerThanOneEntity_ReadsBackWholeAndDeletesEveryPart()
    {
        using var host = await AzuriteProcess.StartNewAsync();
        var options = Options("UseDevelopmentStorage=true");
        options.Storage.OutboxConnectionString = host.ConnectionString;
        var parking = Parking(options);
        var line = new string('x', 999) + "\n";
        var content = string.Concat(Enumerable.Repeat(line, 1_000)) + "tail";

        await parking.ParkAsync("0000000000000000001-large", content, None);
        var read = await parking.ReadAsync("0000000000000000001-large", None);
        await parking.DeleteAsync(read!, None);

        Assert.Equal(content, read!.Content);
        Assert.Equal(2, read.ExtraEntities);
        Assert.Empty(await parking.ListAsync(None));
        Assert.Null(await parking.ReadAsync("0000000000000000001-large", None));
        var table = ResultStorageServiceCollectionExtensions.CreateOutboxServiceClient(options.Storage)!.GetTableClient(options.Storage.OutboxTable);
        Assert.Empty(await table.QueryAsync<Azure.Data.Tables.TableEntity>().ToListAsync());
    }

    private SyntheticsOptions HostedOptions(AzuriteProcess results, AzuriteProcess host, string directory)
    {
        var options = Options(results.ConnectionString, outbox: Path.Combine(_dir.Path, directory));
        options.Storage.OutboxConnectionString = host.ConnectionString;
        options.Storage.RequestTimeoutSeconds = 2;
        return options;
    }

    private static StorageOptions Copy(StorageOptions storage, string outbox) => new()
    {
        ConnectionString = storage.ConnectionString,
        ResultsByTimeTable = storage.ResultsByTimeTable,
        ResultsByTargetTable = storage.ResultsByTargetTable,
        CyclesTable = storage.CyclesTable,
        IncidentsTable = storage.IncidentsTable,
        OutboxTable = storage.OutboxTable,
        OutboxConnectionString = storage.OutboxConnectionString,
        RequestTimeoutSeconds = storage.RequestTimeoutSeconds,
        OutboxDirectory = outbox,
    };

    private static TableOutboxParking Parking(SyntheticsOptions options) => new(
        ResultStorageServiceCollectionExtensions.CreateOutboxServiceClient(options.Storage)!,
        Microsoft.Extensions.Options.Options.Create(options),
        NullLogger<TableOutboxParking>.Instance);

    private static ResultOutbox Instance(SyntheticsOptions options, IResultStore store, TimeProvider? time = null) => new(
        store, Parking(options), Microsoft.Extensions.Options.Options.Create(options), time ?? TimeProvider.System, NullLogger<ResultOutbox>.Instance);

    private static ProbeCycleReport Cycle(DateTimeOffset at, int results) => new(
        at,
        TimeSpan.FromSeconds(2),
        [.. Enumerable.Range(0, results).Select(i => Result(at.AddMilliseconds(100 + i), target: $"t{i}", vantage: "test-vantage"))],
        results,
        CancelledByHost: false);

    private static async Task AssertStoredExactlyAsync(SyntheticsOptions options, IReadOnlyList<ProbeCycleReport> cycles)
    {
        var store = Store(options);
        var stored = await store.ReadWindowAsync(Start.AddMinutes(-1), Start.AddHours(1), None);
        Assert.Equal(
            cycles.SelectMany(c => c.Results).Select(ProbeResultJson.Serialize).Order(StringComparer.Ordinal),
            stored.Select(ProbeResultJson.Serialize).Order(StringComparer.Ordinal));
        var records = await store.ReadCyclesAsync(Start.AddMinutes(-1), Start.AddHours(1), None);
        Assert.Equal(cycles.Select(c => c.StartedAt), records.Select(r => r.StartedAt));
    }

    /// <summary>The real store, remembering the order cycles reached it.</summary>
    private sealed class RecordingStore(IResultStore inner) : ForwardingResultStore(inner)
    {
        public List<DateTimeOffset> CyclesWritten { get; } = [];

        public override async Task<StoreWriteReport> WriteCycleAsync(CycleRecord cycle, IReadOnlyList<ProbeResult> results, CancellationToken cancellationToken)
        {
            var report = await base.WriteCycleAsync(cycle, results, cancellationToken);
            lock (CyclesWritten)
            {
                CyclesWritten.Add(cycle.StartedAt);
            }

            return report;
        }
    }

    /// <summary>A results table that accepts the request and never answers: only the flush's budget ends the wait.</summary>
    private sealed class HangingStore : IResultStore
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public Task<StoreWriteReport> WriteAsync(IReadOnlyList<ProbeResult> results, CancellationToken cancellationToken) => HangAsync(cancellationToken);

        public Task<StoreWriteReport> WriteCycleAsync(CycleRecord cycle, IReadOnlyList<ProbeResult> results, CancellationToken cancellationToken) => HangAsync(cancellationToken);

        public Task<IReadOnlyList<CycleRecord>> ReadCyclesAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ProbeResult>> ReadWindowAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ProbeResult>> ReadTargetAsync(string region, string target, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<ProbeResult>> ReadRegionAsync(string region, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<RetentionReport> DeleteBeforeAsync(DateTimeOffset cutoff, TimeSpan budget, CancellationToken cancellationToken) => throw new NotSupportedException();

        private async Task<StoreWriteReport> HangAsync(CancellationToken cancellationToken)
        {
            _entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return new StoreWriteReport(0, 0);
        }
    }
}
