using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;
using Synthetics.Results;

namespace Synthetics.Storage;

/// <summary>
/// Results in two Azure tables, one per read pattern (README "Storage"):
/// <c>ResultsByTime</c> (PartitionKey <c>yyyyMMddHHmm|vantage</c>, RowKey <c>target|probe|ticks</c>) for the evaluator's
/// "last N minutes, everything", and <c>ResultsByTarget</c> (PartitionKey <c>yyyyMMdd|region|target</c>, RowKey
/// <c>ticks|vantage|probe</c>) for evidence over days. Both are written with upserts, so a retry is harmless.
/// </summary>
internal sealed partial class TableResultStore : IResultStore
{
    private const int MaxPerTransaction = 100;

    // Partitions written at once: enough to hide round-trip latency, few enough not to crowd a vantage's probes.
    private const int WriteConcurrency = 4;

    private static readonly string[] KeyColumns = ["PartitionKey", "RowKey"];

    private readonly StorageOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<TableResultStore> _logger;
    private readonly TableClient _byTime;
    private readonly TableClient _byTarget;
    private readonly TableClient _cycles;
    private volatile bool _tablesReady;
    private long _pagesRead;

    public TableResultStore(TableServiceClient service, IOptions<SyntheticsOptions> options, TimeProvider timeProvider, ILogger<TableResultStore> logger)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.Storage;
        _timeProvider = timeProvider;
        _logger = logger;
        _byTime = service.GetTableClient(_options.ResultsByTimeTable);
        _byTarget = service.GetTableClient(_options.ResultsByTargetTable);
        _cycles = service.GetTableClient(_options.CyclesTable);
    }

    /// <summary>Query pages read so far: each is one billed transaction (the benchmark's cost figures).</summary>
    internal long PagesRead => Interlocked.Read(ref _pagesRead);

    public async Task<StoreWriteReport> WriteAsync(IReadOnlyList<ProbeResult> results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        return await WriteStoredAsync([.. results.Select(StoredResult.From)], cancellationToken);
    }

    public async Task<StoreWriteReport> WriteCycleAsync(CycleRecord cycle, IReadOnlyList<ProbeResult> results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        ArgumentNullException.ThrowIfNull(results);
        return await WriteStoredAsync([.. results.Select(StoredResult.From)], cycle, cancellationToken);
    }

    internal async Task<StoreWriteReport> WriteStoredAsync(IReadOnlyList<StoredResult> results, CancellationToken cancellationToken) =>
        await WriteStoredAsync(results, cycle: null, cancellationToken);

    internal async Task<StoreWriteReport> WriteStoredAsync(IReadOnlyList<StoredResult> results, CycleRecord? cycle, CancellationToken cancellationToken)
    {
        if (results.Count == 0 && cycle is null)
        {
            return new StoreWriteReport(0, 0);
        }

        try
        {
            return await UpsertAllAsync(results, cycle, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // The tables went away (an emulator restarted, a table deleted by hand): create them and write again.
            _tablesReady = false;
            return await UpsertAllAsync(results, cycle, cancellationToken);
        }
        catch
        {
            // After any failure the service may come back without our tables: check them on the next write.
            _tablesReady = false;
            throw;
        }
    }

    private async Task<StoreWriteReport> UpsertAllAsync(IReadOnlyList<StoredResult> results, CycleRecord? cycle, CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken);
        var byTime = await UpsertAsync(_byTime, results.Select(r => r.ToByTimeEntity()), cancellationToken);
        var byTarget = await UpsertAsync(_byTarget, results.Select(r => r.ToByTargetEntity()), cancellationToken);
        var report = new StoreWriteReport(byTime.Entities + byTarget.Entities, byTime.Transactions + byTarget.Transactions);
        if (cycle is null)
        {
            return report;
        }

        // Last, and only once both tables hold every result: an evaluator that sees the record reads the whole cycle.
        await _cycles.UpsertEntityAsync(CycleEntity(cycle), TableUpdateMode.Replace, cancellationToken);
        return new StoreWriteReport(report.Entities + 1, report.Transactions + 1);
    }

    private static TableEntity CycleEntity(CycleRecord cycle) => new(ResultKeys.CyclePartition(cycle.StartedAt), ResultKeys.CycleRow(cycle.Vantage, cycle.StartedAt))
    {
        ["Vantage"] = cycle.Vantage,
        ["Ticks"] = cycle.StartedAt.UtcTicks,
        ["DurationMs"] = cycle.Duration.TotalMilliseconds,
        ["Results"] = cycle.Results,
        ["Failed"] = cycle.Failed,
        ["ColdStart"] = cycle.ColdStart,
        ["Stalled"] = cycle.Stalled,
        ["LongestStallMs"] = cycle.LongestStall.TotalMilliseconds,
    };

    private static CycleRecord? FromCycleEntity(TableEntity entity) =>
        entity.GetString("Vantage") is { } vantage && entity.GetInt64("Ticks") is { } ticks
            ? new CycleRecord(
                vantage,
                new DateTimeOffset(ticks, TimeSpan.Zero),
                TimeSpan.FromMilliseconds(entity.GetDouble("DurationMs") ?? 0),
                entity.GetInt32("Results") ?? 0,
                entity.GetInt32("Failed") ?? 0)
            {
                ColdStart = entity.GetBoolean("ColdStart") ?? false,
                Stalled = entity.GetBoolean("Stalled") ?? false,
                LongestStall = TimeSpan.FromMilliseconds(entity.GetDouble("LongestStallMs") ?? 0),
            }
            : null;

    public async Task<IReadOnlyList<CycleRecord>> ReadCyclesAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var cycles = new List<CycleRecord>();
        if (until <= since)
        {
            return cycles;
        }

        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {ResultKeys.Minute(since)} and PartitionKey le {ResultKeys.Minute(until.AddTicks(-1))} and Ticks ge {since.UtcTicks} and Ticks lt {until.UtcTicks}");
        try
        {
            await foreach (var page in _cycles.QueryAsync<TableEntity>(filter, maxPerPage: _options.ReadPageSize, cancellationToken: cancellationToken)
                               .AsPages(continuationToken: null, pageSizeHint: _options.ReadPageSize))
            {
                Interlocked.Increment(ref _pagesRead);
                cycles.AddRange(page.Values.Select(FromCycleEntity).OfType<CycleRecord>());
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No table yet: no cycle was ever stored.
            return cycles;
        }

        cycles.Sort((a, b) => a.StartedAt.CompareTo(b.StartedAt));
        return cycles;
    }

    private async Task EnsureTablesAsync(CancellationToken cancellationToken)
    {
        if (_tablesReady)
        {
            return;
        }

        await _byTime.CreateIfNotExistsAsync(cancellationToken);
        await _byTarget.CreateIfNotExistsAsync(cancellationToken);
        await _cycles.CreateIfNotExistsAsync(cancellationToken);
        _tablesReady = true;
    }

    private static async Task<StoreWriteReport> UpsertAsync(TableClient table, IEnumerable<TableEntity> entities, CancellationToken cancellationToken)
    {
        // A transaction is one partition and ≤ 100 distinct rows; the same row twice in one batch is rejected, so the
        // last copy of a duplicated result wins (it is the same result).
        var transactions = entities
            .GroupBy(e => e.PartitionKey, StringComparer.Ordinal)
            .SelectMany(partition => partition
                .GroupBy(e => e.RowKey, StringComparer.Ordinal)
                .Select(row => row.Last())
                .Chunk(MaxPerTransaction))
            .ToList();
        var written = 0;
        await Parallel.ForEachAsync(
            transactions,
            new ParallelOptions { MaxDegreeOfParallelism = WriteConcurrency, CancellationToken = cancellationToken },
            async (batch, token) =>
            {
                await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), token);
                Interlocked.Add(ref written, batch.Length);
            });
        return new StoreWriteReport(written, transactions.Count);
    }

    public Task<IReadOnlyList<ProbeResult>> ReadWindowAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        if (until <= since)
        {
            return Task.FromResult<IReadOnlyList<ProbeResult>>([]);
        }

        // Minute partitions of every vantage in the window: one range over the partition keys, then exact bounds on Ticks.
        var first = ResultKeys.Minute(since);
        var last = ResultKeys.Minute(until.AddTicks(-1)) + ResultKeys.AfterSeparator;
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {first} and PartitionKey lt {last} and Ticks ge {since.UtcTicks} and Ticks lt {until.UtcTicks}");
        return QueryAsync(_byTime, [filter], cancellationToken);
    }

    public Task<IReadOnlyList<ProbeResult>> ReadTargetAsync(
        string region, string target, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(region);
        ArgumentNullException.ThrowIfNull(target);
        // One row-key range per day partition: the target's rows between the two instants, nothing else read.
        var first = ResultKeys.TargetTicks(target, since);
        var last = ResultKeys.TargetTicks(target, until);
        var filters = Days(since, until)
            .Select(day => TableClient.CreateQueryFilter(
                $"PartitionKey eq {ResultKeys.ByTargetPartition(day, region)} and RowKey ge {first} and RowKey lt {last}"))
            .ToList();
        return QueryAsync(_byTarget, filters, cancellationToken);
    }

    public Task<IReadOnlyList<ProbeResult>> ReadRegionAsync(string region, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(region);
        var filters = Days(since, until)
            .Select(day => TableClient.CreateQueryFilter(
                $"PartitionKey eq {ResultKeys.ByTargetPartition(day, region)} and Ticks ge {since.UtcTicks} and Ticks lt {until.UtcTicks}"))
            .ToList();
        return QueryAsync(_byTarget, filters, cancellationToken);
    }

    private static IEnumerable<DateTimeOffset> Days(DateTimeOffset since, DateTimeOffset until)
    {
        if (until <= since)
        {
            yield break;
        }

        var lastDay = until.AddTicks(-1).UtcDateTime.Date;
        for (var day = since.UtcDateTime.Date; day <= lastDay; day = day.AddDays(1))
        {
            yield return new DateTimeOffset(day, TimeSpan.Zero);
        }
    }

    private async Task<IReadOnlyList<ProbeResult>> QueryAsync(TableClient table, IReadOnlyList<string> filters, CancellationToken cancellationToken)
    {
        var results = new List<ProbeResult>();
        try
        {
            foreach (var filter in filters)
            {
                // AsPages follows the service's continuation tokens (a page ends at 1000 entities, a partition
                // boundary or 5 s of server time) until the query is exhausted.
                await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: _options.ReadPageSize, cancellationToken: cancellationToken)
                                   .AsPages(continuationToken: null, pageSizeHint: _options.ReadPageSize))
                {
                    Interlocked.Increment(ref _pagesRead);
                    results.AddRange(page.Values.Select(e => StoredResult.FromEntity(e).ToResult()));
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No table yet: nothing was ever stored.
            return results;
        }

        results.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        return results;
    }

    public async Task<RetentionReport> DeleteBeforeAsync(DateTimeOffset cutoff, TimeSpan budget, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        bool OverBudget() => _timeProvider.GetElapsedTime(started) >= budget;

        // Both tables lead their partition keys with time, so "older than the cutoff" is one key range each.
        var (deletedByTime, transactionsByTime, doneByTime) =
            await DeleteRangeAsync(_byTime, ResultKeys.Minute(cutoff), OverBudget, cancellationToken);
        var (deletedByTarget, transactionsByTarget, doneByTarget) = doneByTime
            ? await DeleteRangeAsync(_byTarget, ResultKeys.Day(cutoff), OverBudget, cancellationToken)
            : (0, 0, false);
        var (deletedCycles, transactionsCycles, doneCycles) = doneByTarget
            ? await DeleteRangeAsync(_cycles, ResultKeys.Minute(cutoff), OverBudget, cancellationToken)
            : (0, 0, false);
        var report = new RetentionReport(
            deletedByTime + deletedByTarget + deletedCycles,
            transactionsByTime + transactionsByTarget + transactionsCycles,
            doneByTime && doneByTarget && doneCycles);
        var elapsedMs = _timeProvider.GetElapsedTime(started).TotalMilliseconds;
        LogRetention(_logger, report.Deleted, report.Transactions, report.Completed, elapsedMs);
        return report;
    }

    private async Task<(int Deleted, int Transactions, bool Completed)> DeleteRangeAsync(
        TableClient table, string before, Func<bool> overBudget, CancellationToken cancellationToken)
    {
        var deleted = 0;
        var transactions = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey lt {before}");
        try
        {
            await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: KeyColumns, cancellationToken: cancellationToken).AsPages())
            {
                foreach (var batch in page.Values.GroupBy(e => e.PartitionKey, StringComparer.Ordinal).SelectMany(p => p.Chunk(MaxPerTransaction)))
                {
                    if (overBudget())
                    {
                        return (deleted, transactions, false);
                    }

                    // One transaction at a time: retention is background work and must leave the account's
                    // throughput to the probe cycles' writes.
                    try
                    {
                        await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)), cancellationToken);
                        deleted += batch.Length;
                    }
                    catch (TableTransactionFailedException ex) when (ex.Status == 404)
                    {
                        // Someone deleted part of this batch already; the next run's query sees what is left.
                        LogRetentionConflict(_logger, batch[0].PartitionKey);
                    }

                    transactions++;
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404 && ex.ErrorCode == "TableNotFound")
        {
            return (deleted, transactions, true);
        }

        return (deleted, transactions, true);
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information,
        Message = "Retention deleted {Deleted} results in {Transactions} transactions (completed: {Completed}) in {DurationMs:0} ms")]
    private static partial void LogRetention(ILogger logger, int deleted, int transactions, bool completed, double durationMs);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning,
        Message = "Retention found rows of partition {PartitionKey} already gone; the next run retries")]
    private static partial void LogRetentionConflict(ILogger logger, string partitionKey);
}
