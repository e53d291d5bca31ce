using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;

namespace Synthetics.Detection;

/// <summary>
/// Detection state in Azure Table Storage: one entity (<c>state/current</c>) replaced only with the ETag it was read
/// with, so the first evaluator to save wins and the others see a 412 and retry on the new state. Incident events
/// are kept as rows (<c>event/&lt;id&gt;|&lt;kind&gt;</c>) for evidence.
/// </summary>
internal sealed class TableIncidentStateStore : IIncidentStateStore
{
    private const string StatePartition = "state";
    private const string StateRow = "current";
    private const string EventPartition = "event";

    // A property holds at most 64 KiB (32 K UTF-16 characters): the tracked set stays far below; beyond, it is split.
    private const int ChunkCharacters = 30_000;

    // A transaction holds at most 100 rows of one partition.
    private const int MaxPerTransaction = 100;

    private static readonly string[] KeyColumns = ["PartitionKey", "RowKey"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly TableClient _table;
    private volatile bool _exists;

    public TableIncidentStateStore(TableServiceClient service, IOptions<SyntheticsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(options);
        _table = service.GetTableClient(options.Value.Storage.IncidentsTable);
    }

    public async Task<(DetectionState State, string? Version)> LoadAsync(CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(StatePartition, StateRow, cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is not { } entity)
        {
            return (DetectionState.Empty, null);
        }

        var chunks = entity.GetInt32("Chunks") ?? 0;
        var json = string.Concat(Enumerable.Range(0, chunks).Select(i => entity.GetString($"Tracked{i}")));
        var tracked = string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<Incident>>(json, Json) ?? [];
        var judged = entity.GetString("JudgedThrough") is { Length: > 0 } judgedJson
            ? JsonSerializer.Deserialize<Dictionary<string, DateTimeOffset>>(judgedJson, Json) ?? []
            : [];
        return (new DetectionState(tracked, entity.GetDateTimeOffset("LastEvaluatedAt"), new Dictionary<string, DateTimeOffset>(judged, StringComparer.Ordinal)),
            entity.ETag.ToString());
    }

    public async Task<bool> TrySaveAsync(DetectionState state, string? version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        await EnsureTableAsync(cancellationToken);
        var json = JsonSerializer.Serialize(state.Tracked, Json);
        var entity = new TableEntity(StatePartition, StateRow)
        {
            ["LastEvaluatedAt"] = state.LastEvaluatedAt,
            // One row per vantage point, a few dozen bytes each: far below a property's 64 KiB.
            ["JudgedThrough"] = JsonSerializer.Serialize(state.JudgedThrough, Json),
        };
        var chunks = 0;
        for (var offset = 0; offset < json.Length; offset += ChunkCharacters, chunks++)
        {
            entity[$"Tracked{chunks}"] = json.Substring(offset, Math.Min(ChunkCharacters, json.Length - offset));
        }

        entity["Chunks"] = chunks;
        try
        {
            if (version is null)
            {
                await _table.AddEntityAsync(entity, cancellationToken);
            }
            else
            {
                await _table.UpdateEntityAsync(entity, new ETag(version), TableUpdateMode.Replace, cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false; // another evaluator saved first
        }
    }

    public async Task RecordAsync(IncidentEvent incidentEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incidentEvent);
        await EnsureTableAsync(cancellationToken);
        var kind = incidentEvent.Kind.ToString().ToLowerInvariant();
        var entity = new TableEntity(EventPartition, $"{Escape(incidentEvent.Incident.Id)}|{kind}|{incidentEvent.At.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}")
        {
            ["At"] = incidentEvent.At,
            ["Kind"] = kind,
            ["IncidentId"] = incidentEvent.Incident.Id,
            ["Incident"] = JsonSerializer.Serialize(incidentEvent.Incident, Json),
        };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<IncidentEvent>> HistoryAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        var events = new List<IncidentEvent>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {EventPartition} and At ge {since}");
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (entity.GetString("Incident") is { } json && JsonSerializer.Deserialize<Incident>(json, Json) is { } incident
                && Enum.TryParse<IncidentEventKind>(entity.GetString("Kind"), ignoreCase: true, out var kind)
                && entity.GetDateTimeOffset("At") is { } at)
            {
                events.Add(new IncidentEvent(kind, incident, at));
            }
        }

        return [.. events.OrderByDescending(e => e.At)];
    }

    public async Task<int> DeleteHistoryBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        // Rows are keyed by incident, not time: the event partition is read whole, keys only (history is small: a few
        // events per incident).
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {EventPartition} and At lt {cutoff}");
        var old = new List<TableEntity>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, select: KeyColumns, cancellationToken: cancellationToken))
        {
            old.Add(entity);
        }

        var deleted = 0;
        foreach (var batch in old.Chunk(MaxPerTransaction))
        {
            try
            {
                await _table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)), cancellationToken);
                deleted += batch.Length;
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 404)
            {
                // One row went meanwhile (deleted by hand): the transaction is all or nothing, so delete one by one.
                foreach (var entity in batch)
                {
                    var response = await _table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All, cancellationToken);
                    deleted += response.Status == 404 ? 0 : 1;
                }
            }
        }

        return deleted;
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        // Creating twice at once is harmless (create-if-not-exists); a failure is retried on the next call.
        if (!_exists)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken);
            _exists = true;
        }
    }

    // RowKeys may not hold / \ # ? or control characters; incident ids hold ':' and '@', which are fine.
    private static string Escape(string value) =>
        string.Concat(value.Select(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c) ? $"~{(int)c:X2}" : c.ToString()));
}
