using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;

namespace Synthetics.Discovery;

/// <summary>
/// The catalog as rows of <c>Synthetics:Storage:TargetCatalogTable</c>: partition <c>target</c>, row the source entity's
/// key (<c>lke-12345</c>). Found targets are upserted (idempotent: a retried or repeated discovery writes the same row);
/// a miss or a retirement is written with the ETag it was read with, so two discoveries racing count a miss once at most
/// (the loser's change is dropped, and the next discovery counts again). Holds no secret: a cluster's kubeconfig stays in
/// the settings.
/// </summary>
internal sealed class TableTargetCatalogStore : ITargetCatalogStore
{
    private const string Partition = "target";

    private readonly TableClient _table;
    private volatile bool _exists;

    public TableTargetCatalogStore(TableServiceClient service, IOptions<SyntheticsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(options);
        _table = service.GetTableClient(options.Value.Storage.TargetCatalogTable);
    }

    public async Task<IReadOnlyList<DiscoveredTarget>> ReadAsync(CancellationToken cancellationToken) =>
        [.. (await ReadEntitiesAsync(cancellationToken)).Select(ToTarget).OfType<DiscoveredTarget>()];

    public async Task<CatalogChange> ApplyAsync(IReadOnlyList<DiscoveredTarget> found, int retireAfterMissed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(found);
        ArgumentOutOfRangeException.ThrowIfLessThan(retireAfterMissed, 1);
        await EnsureTableAsync(cancellationToken);
        var existing = (await ReadEntitiesAsync(cancellationToken)).ToDictionary(e => e.RowKey, StringComparer.Ordinal);
        var added = new List<string>();
        foreach (var target in found)
        {
            if (!existing.ContainsKey(target.Key))
            {
                added.Add(target.Name);
            }

            await _table.UpsertEntityAsync(ToEntity(target with { Missed = 0 }), TableUpdateMode.Replace, cancellationToken);
        }

        var keys = found.Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
        var missing = new List<string>();
        var retired = new List<string>();
        foreach (var entity in existing.Values.Where(e => !keys.Contains(e.RowKey)))
        {
            var missed = (entity.GetInt32("Missed") ?? 0) + 1;
            var name = entity.GetString("Name") ?? entity.RowKey;
            try
            {
                if (missed >= retireAfterMissed)
                {
                    await _table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, entity.ETag, cancellationToken);
                    retired.Add(name);
                }
                else
                {
                    entity["Missed"] = missed;
                    await _table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                    missing.Add(name);
                }
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // Another discovery changed or removed the row since it was read: its word stands.
            }
        }

        return new CatalogChange(added, found.Count - added.Count, missing, retired);
    }

    private async Task<List<TableEntity>> ReadEntitiesAsync(CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var entity in _table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken))
            {
                rows.Add(entity);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No discovery has run yet: an empty catalog.
            _exists = false;
        }

        return rows;
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (!_exists)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken);
            _exists = true;
        }
    }

    private static TableEntity ToEntity(DiscoveredTarget target)
    {
        var entity = new TableEntity(Partition, target.Key)
        {
            ["Name"] = target.Name,
            ["Kind"] = target.Kind,
            ["Region"] = target.Region,
            ["Labels"] = JsonSerializer.Serialize(target.Labels),
            ["Missed"] = target.Missed,
            ["LastSeen"] = target.LastSeen,
        };
        if (target.Url is not null)
        {
            entity["Url"] = target.Url;
        }

        if (target.Host is not null)
        {
            entity["Host"] = target.Host;
        }

        if (target.Port is { } port)
        {
            entity["Port"] = port;
        }

        if (target.ClusterId is { } clusterId)
        {
            entity["ClusterId"] = clusterId;
        }

        return entity;
    }

    /// <summary>A row as a target; null for a row this version cannot read (written by hand, or by a newer version).</summary>
    private static DiscoveredTarget? ToTarget(TableEntity entity)
    {
        if (entity.GetString("Name") is not { Length: > 0 } name
            || entity.GetString("Kind") is not { Length: > 0 } kind
            || entity.GetString("Region") is not { Length: > 0 } region)
        {
            return null;
        }

        Dictionary<string, string> labels;
        try
        {
            labels = JsonSerializer.Deserialize<Dictionary<string, string>>(entity.GetString("Labels") ?? "{}") ?? [];
        }
        catch (JsonException)
        {
            labels = [];
        }

        return new DiscoveredTarget
        {
            Key = entity.RowKey,
            Name = name,
            Kind = kind,
            Region = region,
            Url = entity.GetString("Url"),
            Host = entity.GetString("Host"),
            Port = entity.GetInt32("Port"),
            ClusterId = entity.GetInt64("ClusterId"),
            Labels = labels,
            Missed = entity.GetInt32("Missed") ?? 0,
            LastSeen = entity.GetDateTimeOffset("LastSeen") ?? default,
        };
    }
}
