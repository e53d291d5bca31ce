using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;
using Synthetics.Results;

namespace Synthetics.Storage;

/// <summary>
/// Keeps every cycle's results until the table service has them, so storage never blocks a probe cycle and never
/// loses a result. <see cref="EnqueueAsync(Probes.ProbeCycleReport)"/> writes the batch to a file in the outbox directory (the cycle's record,
/// then one JSON line per result; written under a temporary name, then renamed, so a crash never leaves half a batch) and returns: no network.
/// <see cref="FlushAsync(CancellationToken)"/> writes pending batches oldest first and deletes each file once stored.
/// A write that fails part-way is retried whole by a later flush: the keys derive from the results, so rows that
/// did land are replaced, not duplicated. If the disk itself fails, the batch is kept in memory (the most recent
/// <see cref="MaxBatchesInMemory"/>) instead.
/// </summary>
public sealed partial class ResultOutbox : IDisposable
{
    /// <summary>Batches kept in memory when they cannot be written to disk.</summary>
    public const int MaxBatchesInMemory = 120;

    private const string BatchExtension = ".jsonl";
    private static readonly JsonSerializerOptions LineOptions = new(JsonSerializerDefaults.General) { WriteIndented = false };

    private readonly IResultStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ResultOutbox> _logger;
    private readonly TimeSpan _flushBudget;
    private readonly ConcurrentDictionary<string, OutboxBatch> _memoryOnly = new(StringComparer.Ordinal);
    private readonly string _vantage;
    private readonly SemaphoreSlim _flushing = new(1, 1);

    public ResultOutbox(IResultStore store, IOptions<SyntheticsOptions> options, TimeProvider timeProvider, ILogger<ResultOutbox> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _timeProvider = timeProvider;
        _logger = logger;
        var synthetics = options.Value;
        _vantage = synthetics.VantagePoint;
        _flushBudget = TimeSpan.FromSeconds(synthetics.Storage.FlushBudgetSeconds);
        DirectoryPath = ResolveDirectory(synthetics);
    }

    /// <summary>Where pending batches are kept.</summary>
    public string DirectoryPath { get; }

    /// <summary>Batches not yet stored (on disk or, when the disk failed, in memory).</summary>
    public int PendingBatches => ListPending().Count;

    /// <summary>
    /// Keeps what <paramref name="cycle"/> measured until stored, with the cycle's record, which is stored last: the
    /// evaluator judges a cycle once its record is in the table. Never touches the network and never throws for a disk
    /// failure (the batch stays in memory). Deliberately not cancellable: results measured must be kept even while the
    /// host stops.
    /// </summary>
    public Task EnqueueAsync(Probes.ProbeCycleReport cycle)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        return EnqueueAsync(new OutboxBatch(CycleRecord.From(_vantage, cycle), [.. cycle.Results.Select(StoredResult.From)]));
    }

    /// <summary>Keeps <paramref name="results"/> that belong to no cycle (tools, imports) until stored.</summary>
    public Task EnqueueAsync(IReadOnlyList<ProbeResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return results.Count == 0 ? Task.CompletedTask : EnqueueAsync(new OutboxBatch(null, [.. results.Select(StoredResult.From)]));
    }

    private async Task EnqueueAsync(OutboxBatch batch)
    {
        // The name sorts by enqueue time, so flushes write oldest first.
        var id = $"{_timeProvider.GetUtcNow().UtcTicks:D19}-{Guid.NewGuid():N}";
        var temporary = Path.Combine(DirectoryPath, id + ".tmp");
        try
        {
            Directory.CreateDirectory(DirectoryPath);
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                if (batch.Cycle is { } record)
                {
                    await JsonSerializer.SerializeAsync(stream, new CycleLine(record), LineOptions);
                    stream.WriteByte((byte)'\n');
                }

                foreach (var result in batch.Results)
                {
                    await JsonSerializer.SerializeAsync(stream, result, LineOptions);
                    stream.WriteByte((byte)'\n');
                }

                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path.Combine(DirectoryPath, id + BatchExtension));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            _memoryOnly[id] = batch;
            LogSpillFailed(_logger, DirectoryPath, ex.GetType().Name, batch.Results.Length);
            foreach (var dropped in _memoryOnly.Keys.Order(StringComparer.Ordinal).SkipLast(MaxBatchesInMemory).ToList())
            {
                if (_memoryOnly.TryRemove(dropped, out var lost))
                {
                    LogDropped(_logger, lost.Results.Length);
                }
            }
        }
    }

    /// <summary>Writes pending batches within the configured flush budget (<c>Synthetics:Storage:FlushBudgetSeconds</c>).</summary>
    public Task<OutboxFlushReport> FlushAsync(CancellationToken cancellationToken) => FlushAsync(_flushBudget, cancellationToken);

    /// <summary>
    /// Writes pending batches, oldest first, until all are stored, the service fails or <paramref name="budget"/> runs
    /// out. Never throws for a storage failure: the batches stay for the next flush. Only one flush runs at a time.
    /// </summary>
    public async Task<OutboxFlushReport> FlushAsync(TimeSpan budget, CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            using var timeout = new CancellationTokenSource(budget, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            int batches = 0, results = 0, transactions = 0;
            foreach (var id in ListPending())
            {
                var batch = _memoryOnly.TryGetValue(id, out var inMemory) ? inMemory : await ReadBatchAsync(id);
                if (batch is null)
                {
                    continue;
                }

                try
                {
                    var written = batch.Cycle is { } cycle
                        ? await _store.WriteCycleAsync(cycle, [.. batch.Results.Select(s => s.ToResult())], linked.Token)
                        : await _store.WriteAsync([.. batch.Results.Select(s => s.ToResult())], linked.Token);
                    transactions += written.Transactions;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // Down, slow or throttled (503 after the client's own retries): stop here and keep the order.
                    var pending = ListPending().Count;
                    LogFlushFailed(_logger, ex.GetType().Name, pending, timeout.IsCancellationRequested);
                    return new OutboxFlushReport(batches, results, transactions, pending, Completed: false);
                }

                _memoryOnly.TryRemove(id, out _);
                TryDelete(Path.Combine(DirectoryPath, id + BatchExtension));
                batches++;
                results += batch.Results.Length;
            }

            if (batches > 0)
            {
                LogFlushed(_logger, batches, results, transactions);
            }

            return new OutboxFlushReport(batches, results, transactions, ListPending().Count, Completed: true);
        }
        finally
        {
            _flushing.Release();
        }
    }

    public void Dispose() => _flushing.Dispose();

    private List<string> ListPending()
    {
        var ids = new SortedSet<string>(_memoryOnly.Keys, StringComparer.Ordinal);
        try
        {
            if (Directory.Exists(DirectoryPath))
            {
                foreach (var file in Directory.EnumerateFiles(DirectoryPath, "*" + BatchExtension))
                {
                    ids.Add(Path.GetFileNameWithoutExtension(file));
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogSpillFailed(_logger, DirectoryPath, ex.GetType().Name, 0);
        }

        return [.. ids];
    }

    private async Task<OutboxBatch?> ReadBatchAsync(string id)
    {
        var path = Path.Combine(DirectoryPath, id + BatchExtension);
        try
        {
            var lines = (await File.ReadAllLinesAsync(path)).Where(l => l.Length > 0).ToList();
            var cycle = lines.Count > 0 && lines[0].StartsWith(CycleLine.Prefix, StringComparison.Ordinal)
                ? JsonSerializer.Deserialize<CycleLine>(lines[0], LineOptions)?.Cycle
                : null;
            return new OutboxBatch(cycle, [.. lines.Skip(cycle is null ? 0 : 1).Select(l => JsonSerializer.Deserialize<StoredResult>(l, LineOptions)!)]);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (JsonException)
        {
            // A file this process did not write whole (edited, truncated by a full disk): set aside, never retried
            // forever and never silently dropped.
            LogBadBatch(_logger, path);
            TryMove(path, Path.ChangeExtension(path, ".bad"));
            return null;
        }
    }

    private static string ResolveDirectory(SyntheticsOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Storage.OutboxDirectory))
        {
            var configured = options.Storage.OutboxDirectory;
            return Path.IsPathRooted(configured) || string.IsNullOrEmpty(options.BaseDirectory)
                ? Path.GetFullPath(configured)
                : Path.GetFullPath(Path.Combine(options.BaseDirectory, configured));
        }

        // One directory per vantage: several local `run` processes must not flush each other's batches.
        return Path.Combine(Path.GetTempPath(), "lke-synthetics", "outbox", ResultKeys.Escape(options.VantagePoint ?? "local"));
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A stored batch left behind is written again later: an upsert of the same rows, no duplicate.
        }
    }

    private static void TryMove(string from, string to)
    {
        try
        {
            File.Move(from, to, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left in place: reported again on the next flush.
        }
    }

    /// <summary>One enqueued batch: a cycle's results with its record, or results of no cycle.</summary>
    private sealed record OutboxBatch(CycleRecord? Cycle, StoredResult[] Results);

    /// <summary>A batch file's first line when the batch is a cycle; result lines follow.</summary>
    private sealed record CycleLine(CycleRecord Cycle)
    {
        public const string Prefix = "{\"Cycle\":";
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Error,
        Message = "Outbox cannot write to {Directory} ({ExceptionType}); {Results} results kept in memory only")]
    private static partial void LogSpillFailed(ILogger logger, string directory, string exceptionType, int results);

    [LoggerMessage(EventId = 311, Level = LogLevel.Error,
        Message = "Outbox memory is full and the disk fails: {Results} results of the oldest batch are lost")]
    private static partial void LogDropped(ILogger logger, int results);

    [LoggerMessage(EventId = 312, Level = LogLevel.Warning,
        Message = "Result storage unavailable ({ExceptionType}, budget exhausted: {OverBudget}); {Pending} batches kept for the next flush")]
    private static partial void LogFlushFailed(ILogger logger, string exceptionType, int pending, bool overBudget);

    [LoggerMessage(EventId = 313, Level = LogLevel.Information,
        Message = "Stored {Batches} batches, {Results} results, in {Transactions} transactions")]
    private static partial void LogFlushed(ILogger logger, int batches, int results, int transactions);

    [LoggerMessage(EventId = 314, Level = LogLevel.Error,
        Message = "Outbox batch {Path} is not readable JSON lines; set aside as .bad")]
    private static partial void LogBadBatch(ILogger logger, string path);
}
