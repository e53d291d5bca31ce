using System.Collections.Concurrent;
using System.Text;
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
/// <see cref="FlushAsync(CancellationToken)"/> writes pending batches oldest first and deletes each once stored.
/// A write that fails part-way is retried whole by a later flush: the keys derive from the results, so rows that
/// did land are replaced, not duplicated. If the disk itself fails, the batch is kept in memory (the most recent
/// <see cref="MaxBatchesInMemory"/>) instead. With host storage configured (<c>Synthetics:Storage:OutboxEndpoint</c>),
/// a flush that fails or runs out of budget parks this instance's pending batches there, in the vantage's own region,
/// so an instance recycled or scaled in loses nothing: any later flush of any instance of the vantage writes parked
/// batches with its own, oldest first, then deletes them.
/// </summary>
public sealed partial class ResultOutbox : IDisposable
{
    /// <summary>Batches kept in memory when they cannot be written to disk.</summary>
    public const int MaxBatchesInMemory = 120;

    private const string BatchExtension = ".jsonl";

    // A full disk: ENOSPC on Linux (.NET's IOException carries the errno), ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL on Windows.
    private const int DiskFullErrno = 28;
    private const int DiskFullWin32 = unchecked((int)0x80070070);
    private const int HandleDiskFullWin32 = unchecked((int)0x80070027);
    private static readonly JsonSerializerOptions LineOptions = new(JsonSerializerDefaults.General) { WriteIndented = false };

    // Parking talks to the vantage's own account in its own region, not to the results tables: a few requests, bounded
    // on their own so that a flush that spent its budget on a slow results table still parks what it holds.
    private static readonly TimeSpan ParkBudget = TimeSpan.FromSeconds(5);

    private readonly IResultStore _store;
    private readonly IOutboxParking? _parking;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ResultOutbox> _logger;
    private readonly TimeSpan _flushBudget;
    private readonly ConcurrentDictionary<string, OutboxBatch> _memoryOnly = new(StringComparer.Ordinal);
    private readonly string _vantage;
    private readonly SemaphoreSlim _flushing = new(1, 1);

    /// <summary>An outbox on this instance's disk alone (no host storage): the CLI, tools and tests.</summary>
    public ResultOutbox(IResultStore store, IOptions<SyntheticsOptions> options, TimeProvider timeProvider, ILogger<ResultOutbox> logger)
        : this(store, parking: null, options, timeProvider, logger)
    {
    }

    internal ResultOutbox(IResultStore store, IOutboxParking? parking, IOptions<SyntheticsOptions> options, TimeProvider timeProvider, ILogger<ResultOutbox> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _parking = parking;
        _timeProvider = timeProvider;
        _logger = logger;
        var synthetics = options.Value;
        _vantage = synthetics.VantagePoint;
        _flushBudget = TimeSpan.FromSeconds(synthetics.Storage.FlushBudgetSeconds);
        DirectoryPath = ResolveDirectory(synthetics);
    }

    /// <summary>Where pending batches are kept on this instance.</summary>
    public string DirectoryPath { get; }

    /// <summary>Batches not yet stored on this instance (on disk or, when the disk failed, in memory); parked batches are counted by each flush's report.</summary>
    public int PendingBatches => ListPending().Count;

    /// <summary>True when batches a flush cannot store are parked in the app's host storage, beyond this instance.</summary>
    public bool ParksBeyondInstance => _parking is not null;

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
        // The name sorts by enqueue time, so flushes write oldest first (parked batches of other instances included).
        var id = $"{_timeProvider.GetUtcNow().UtcTicks:D19}-{Guid.NewGuid():N}";
        var temporary = Path.Combine(DirectoryPath, id + ".tmp");
        try
        {
            Directory.CreateDirectory(DirectoryPath);
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(Format(batch)));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path.Combine(DirectoryPath, id + BatchExtension));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            _memoryOnly[id] = batch;
            LogSpillFailed(_logger, DirectoryPath, Describe(ex), batch.Results.Length);
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
    /// Writes pending batches (this instance's and those parked by any instance of the vantage), oldest first, until all
    /// are stored, the service fails or <paramref name="budget"/> runs out; then, with host storage, parks what this
    /// instance still holds (within a few seconds of its own). Never throws for a storage failure: the batches stay for
    /// the next flush. Only one flush runs at a time per outbox.
    /// </summary>
    public async Task<OutboxFlushReport> FlushAsync(TimeSpan budget, CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            using var timeout = new CancellationTokenSource(budget, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            var parked = await ListParkedAsync(linked.Token);
            var parkingDown = parked is null;
            parked ??= new HashSet<string>(StringComparer.Ordinal);
            var pending = new SortedSet<string>(ListPending(), StringComparer.Ordinal);
            pending.UnionWith(parked);
            int batches = 0, results = 0, transactions = 0;
            foreach (var id in pending.ToList())
            {
                var local = Path.Combine(DirectoryPath, id + BatchExtension);
                ParkedBatch? parkedCopy = null;
                if (parked.Contains(id) && !parkingDown)
                {
                    try
                    {
                        parkedCopy = await _parking!.ReadAsync(id, linked.Token);
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
                    {
                        // Host storage is down or slow: this instance's own batches still go; the parked ones wait.
                        parkingDown = true;
                        LogParkingUnavailable(_logger, ex.GetType().Name);
                    }
                }

                var batch = _memoryOnly.TryGetValue(id, out var inMemory) ? inMemory
                    : File.Exists(local) ? await ReadBatchAsync(id)
                    : parkedCopy?.Content is { } content ? ParseParked(id, content)
                    : null;
                if (batch is null)
                {
                    if (parkedCopy is { Content: null })
                    {
                        // Incomplete: a delete was interrupted after the batch was stored; finish it.
                        await TryDeleteParkedAsync(parkedCopy, linked.Token);
                    }
                    else if (parkedCopy is not null)
                    {
                        await TrySetAsideParkedAsync(parkedCopy, linked.Token);
                    }

                    if (parkedCopy is not null || !parked.Contains(id))
                    {
                        pending.Remove(id);
                    }

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
                    LogFlushFailed(_logger, ex.GetType().Name, pending.Count, timeout.IsCancellationRequested);
                    // Batches enqueued during this flush count too: pending is what is on the disk or parked now.
                    pending.UnionWith(ListPending());
                    var parkedNow = await ParkLocalAsync(parked, parkingDown);
                    pending.UnionWith(parkedNow);
                    return new OutboxFlushReport(batches, results, transactions, pending.Count, Completed: false) { Parked = parkedNow.Count };
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // The host is stopping, perhaps the instance with it: what it holds leaves it first.
                    await ParkLocalAsync(parked, parkingDown);
                    throw;
                }

                _memoryOnly.TryRemove(id, out _);
                TryDelete(local);
                if (parkedCopy is not null)
                {
                    await TryDeleteParkedAsync(parkedCopy, linked.Token);
                }

                pending.Remove(id);
                batches++;
                results += batch.Results.Length;
            }

            if (batches > 0)
            {
                LogFlushed(_logger, batches, results, transactions);
            }

            // Not completed while host storage could not be read: its parked batches wait for a later flush.
            return new OutboxFlushReport(batches, results, transactions, pending.Count, Completed: !parkingDown);
        }
        finally
        {
            _flushing.Release();
        }
    }

    public void Dispose() => _flushing.Dispose();

    /// <summary>Parked ids, or null when host storage cannot be read now; an empty set without host storage.</summary>
    private async Task<HashSet<string>?> ListParkedAsync(CancellationToken cancellationToken)
    {
        if (_parking is null)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        try
        {
            return new HashSet<string>(await _parking.ListAsync(cancellationToken), StringComparer.Ordinal);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            LogParkingUnavailable(_logger, ex.GetType().Name);
            return null;
        }
    }

    /// <summary>Moves this instance's pending batches to host storage, oldest first; returns the ids that went.</summary>
    private async Task<List<string>> ParkLocalAsync(HashSet<string> alreadyParked, bool parkingDown)
    {
        var moved = new List<string>();
        if (_parking is null || parkingDown)
        {
            return moved;
        }

        using var timeout = new CancellationTokenSource(ParkBudget, _timeProvider);
        foreach (var id in ListPending())
        {
            var local = Path.Combine(DirectoryPath, id + BatchExtension);
            try
            {
                if (!alreadyParked.Contains(id))
                {
                    var content = _memoryOnly.TryGetValue(id, out var inMemory) ? Format(inMemory) : await File.ReadAllTextAsync(local, timeout.Token);
                    await _parking.ParkAsync(id, content, timeout.Token);
                }
            }
            catch (FileNotFoundException)
            {
                continue;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Host storage failed too: the rest stays on this instance, as without host storage.
                LogParkFailed(_logger, ex.GetType().Name, id);
                break;
            }

            // Host storage holds it now for every instance of the vantage; no second copy stays to be written twice.
            _memoryOnly.TryRemove(id, out _);
            TryDelete(local);
            moved.Add(id);
        }

        if (moved.Count > 0)
        {
            LogParked(_logger, moved.Count);
        }

        return moved;
    }

    private async Task TrySetAsideParkedAsync(ParkedBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            await _parking!.SetAsideAsync(batch, cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Still parked: found, reported and set aside again by a later flush.
            LogParkingUnavailable(_logger, ex.GetType().Name);
        }
    }

    private async Task TryDeleteParkedAsync(ParkedBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            await _parking!.DeleteAsync(batch, cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Stored already: a later flush writes the same rows again (upserts) and deletes it then.
            LogParkingUnavailable(_logger, ex.GetType().Name);
        }
    }

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
            LogSpillFailed(_logger, DirectoryPath, Describe(ex), 0);
        }

        return [.. ids];
    }

    private async Task<OutboxBatch?> ReadBatchAsync(string id)
    {
        var path = Path.Combine(DirectoryPath, id + BatchExtension);
        try
        {
            return Parse(await File.ReadAllLinesAsync(path));
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

    private OutboxBatch? ParseParked(string id, string content)
    {
        try
        {
            return Parse(content.Split('\n'));
        }
        catch (JsonException)
        {
            // Parked from a file that was already damaged: set aside in host storage, never retried, never stored wrong.
            LogBadBatch(_logger, id);
            return null;
        }
    }

    /// <summary>The batch file's text: the cycle's record line (when a cycle), then one line per result.</summary>
    private static string Format(OutboxBatch batch)
    {
        var text = new StringBuilder();
        if (batch.Cycle is { } record)
        {
            text.Append(JsonSerializer.Serialize(new CycleLine(record), LineOptions)).Append('\n');
        }

        foreach (var result in batch.Results)
        {
            text.Append(JsonSerializer.Serialize(result, LineOptions)).Append('\n');
        }

        return text.ToString();
    }

    private static OutboxBatch Parse(IEnumerable<string> allLines)
    {
        var lines = allLines.Where(l => l.Length > 0).ToList();
        var cycle = lines.Count > 0 && lines[0].StartsWith(CycleLine.Prefix, StringComparison.Ordinal)
            ? JsonSerializer.Deserialize<CycleLine>(lines[0], LineOptions)?.Cycle
            : null;
        return new OutboxBatch(cycle, [.. lines.Skip(cycle is null ? 0 : 1).Select(l => JsonSerializer.Deserialize<StoredResult>(l, LineOptions)!)]);
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

    /// <summary>Why the disk failed, as on-call reads it: a full disk is named, anything else by its exception type.</summary>
    private static string Describe(Exception failure) =>
        failure is IOException { HResult: DiskFullErrno or DiskFullWin32 or HandleDiskFullWin32 } ? "the disk is full" : failure.GetType().Name;

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
        Message = "Outbox cannot write to {Directory} ({Reason}); {Results} results kept in memory only")]
    private static partial void LogSpillFailed(ILogger logger, string directory, string reason, int results);

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
        Message = "Outbox batch {Path} is not readable JSON lines; set aside (a file: as .bad; parked: in partition <vantage>|bad)")]
    private static partial void LogBadBatch(ILogger logger, string path);

    [LoggerMessage(EventId = 315, Level = LogLevel.Information,
        Message = "Parked {Batches} batches in host storage: any instance of this vantage stores them later")]
    private static partial void LogParked(ILogger logger, int batches);

    [LoggerMessage(EventId = 316, Level = LogLevel.Warning,
        Message = "Host storage could not park batch {Id} ({ExceptionType}); it and the rest stay on this instance")]
    private static partial void LogParkFailed(ILogger logger, string exceptionType, string id);

    [LoggerMessage(EventId = 317, Level = LogLevel.Warning,
        Message = "Host storage unavailable ({ExceptionType}); parked batches wait for a later flush")]
    private static partial void LogParkingUnavailable(ILogger logger, string exceptionType);
}
