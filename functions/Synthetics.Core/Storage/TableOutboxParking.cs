using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;

namespace Synthetics.Storage;

/// <summary>
/// Parked outbox batches in a table of the app's host storage (<c>Synthetics:Storage:OutboxTable</c>). A batch is one
/// entity in partition <c>&lt;vantage&gt;</c>, row <c>&lt;id&gt;</c> (rows sort by id: oldest first), its text split
/// across string properties <c>C0</c>…; a batch too large for one entity keeps its first part there and the rest in
/// partition <c>&lt;vantage&gt;|parts</c>, rows <c>&lt;id&gt;|0001</c>…, written before the first entity, so a listed
/// batch is always whole. Deleting goes the other way: the extra parts, then the listed entity. A batch that is not
/// readable is set aside in partition <c>&lt;vantage&gt;|bad</c>.
/// </summary>
internal sealed partial class TableOutboxParking : IOutboxParking
{
    // A string property holds at most 64 KiB (32 K UTF-16 characters) and an entity at most 1 MiB: 14 × 30,000
    // characters (840 KB as UTF-16) leaves room for the names and the other properties.
    private const int ChunkCharacters = 30_000;
    private const int ChunksPerEntity = 14;

    private static readonly string[] KeyColumns = ["RowKey"];

    private readonly TableClient _table;
    private readonly ILogger<TableOutboxParking> _logger;
    private readonly string _partition;
    private readonly string _partsPartition;
    private readonly string _asidePartition;
    private volatile bool _exists;

    public TableOutboxParking(TableServiceClient hostStorage, IOptions<SyntheticsOptions> options, ILogger<TableOutboxParking> logger)
    {
        ArgumentNullException.ThrowIfNull(hostStorage);
        ArgumentNullException.ThrowIfNull(options);
        _table = hostStorage.GetTableClient(options.Value.Storage.OutboxTable);
        _logger = logger;
        // One partition per vantage: several vantages may share a host account (the CLI, tests) and must not store
        // each other's batches under their own name.
        _partition = ResultKeys.Escape(options.Value.VantagePoint ?? "local");
        _partsPartition = _partition + ResultKeys.Separator + "parts";
        _asidePartition = _partition + ResultKeys.Separator + "bad";
    }

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        try
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {_partition}");
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: KeyColumns, cancellationToken: cancellationToken))
            {
                ids.Add(entity.RowKey);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No table yet: nothing was ever parked.
            _exists = false;
        }

        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    public async Task<ParkedBatch?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        var first = await GetAsync(_partition, id, cancellationToken);
        if (first is null)
        {
            return null;
        }

        var extra = first.GetInt32("Extra") ?? 0;
        var text = new System.Text.StringBuilder(Chunks(first));
        for (var part = 1; part <= extra; part++)
        {
            if (await GetAsync(_partsPartition, PartRow(id, part), cancellationToken) is not { } entity)
            {
                // Parts go before the listed entity is written and after it is deleted: a missing part means a delete
                // was interrupted, so the batch is stored already.
                LogIncomplete(_logger, id, part);
                return new ParkedBatch(id, null, extra);
            }

            text.Append(Chunks(entity));
        }

        return new ParkedBatch(id, text.ToString(), extra);
    }

    public async Task ParkAsync(string id, string content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        try
        {
            await ParkOnceAsync(id, content, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // The table went away (an emulator restarted, a table deleted by hand): create it and park again.
            _exists = false;
            await ParkOnceAsync(id, content, cancellationToken);
        }
    }

    private async Task ParkOnceAsync(string id, string content, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        var perEntity = ChunkCharacters * ChunksPerEntity;
        var parts = Math.Max(1, (content.Length + perEntity - 1) / perEntity);
        for (var part = parts - 1; part >= 1; part--)
        {
            var entity = Entity(_partsPartition, PartRow(id, part), content, part * perEntity, perEntity);
            await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        }

        // Last: once this entity exists the batch is listed, and every part it names is already there.
        var listed = Entity(_partition, id, content, 0, perEntity);
        listed["Extra"] = parts - 1;
        listed["Characters"] = content.Length;
        await _table.UpsertEntityAsync(listed, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task DeleteAsync(ParkedBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        for (var part = 1; part <= batch.ExtraEntities; part++)
        {
            await DeleteIfExistsAsync(_partsPartition, PartRow(batch.Id, part), cancellationToken);
        }

        await DeleteIfExistsAsync(_partition, batch.Id, cancellationToken);
    }

    public async Task SetAsideAsync(ParkedBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Content is { } content)
        {
            // One entity's worth is plenty to see what went wrong; the length says how much more there was.
            var aside = Entity(_asidePartition, batch.Id, content, 0, ChunkCharacters * ChunksPerEntity);
            aside["Characters"] = content.Length;
            await _table.UpsertEntityAsync(aside, TableUpdateMode.Replace, cancellationToken);
        }

        await DeleteAsync(batch, cancellationToken);
    }

    private async Task DeleteIfExistsAsync(string partition, string row, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(partition, row, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Another instance stored and deleted it first: the same rows, written by upserts.
        }
    }

    private async Task<TableEntity?> GetAsync(string partition, string row, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
            return response.HasValue ? response.Value : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        // Parking is rare (the results table failed): checking the table then costs nothing that matters.
        if (!_exists)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken);
            _exists = true;
        }
    }

    private static TableEntity Entity(string partition, string row, string content, int offset, int length)
    {
        var entity = new TableEntity(partition, row);
        var end = Math.Min(content.Length, offset + length);
        var chunks = 0;
        for (var at = offset; at < end; at += ChunkCharacters, chunks++)
        {
            entity[$"C{chunks}"] = content.Substring(at, Math.Min(ChunkCharacters, end - at));
        }

        entity["Chunks"] = chunks;
        return entity;
    }

    private static string Chunks(TableEntity entity) =>
        string.Concat(Enumerable.Range(0, entity.GetInt32("Chunks") ?? 0).Select(i => entity.GetString($"C{i}")));

    private static string PartRow(string id, int part) =>
        string.Create(CultureInfo.InvariantCulture, $"{id}{ResultKeys.Separator}{part:D4}");

    [LoggerMessage(EventId = 320, Level = LogLevel.Warning,
        Message = "Parked batch {Id} misses part {Part}: an earlier delete was interrupted after storing it; deleting the rest")]
    private static partial void LogIncomplete(ILogger logger, string id, int part);
}
