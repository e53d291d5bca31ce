using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;

namespace Synthetics.Storage;

/// <summary>
/// Run claims as rows of the incidents table (shared by every app, like detection state): partition <c>claim</c>, row
/// <c>&lt;run&gt;|&lt;slot ticks&gt;</c>, inserted with <c>AddEntity</c>: the service answers 409 to every app but the first.
/// </summary>
internal sealed class TableRunClaims : IRunClaims
{
    private const string ClaimPartition = "claim";
    private const int MaxPerTransaction = 100;
    private static readonly string[] KeyColumns = ["PartitionKey", "RowKey"];

    private readonly TableClient _table;
    private readonly TimeProvider _timeProvider;
    private volatile bool _exists;

    public TableRunClaims(TableServiceClient service, IOptions<SyntheticsOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(options);
        _table = service.GetTableClient(options.Value.Storage.IncidentsTable);
        _timeProvider = timeProvider;
    }

    public async Task<bool> TryClaimAsync(string run, DateTimeOffset slot, string claimant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!_exists)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken);
            _exists = true;
        }

        var claim = new TableEntity(ClaimPartition, Row(run, slot))
        {
            ["Run"] = run,
            ["Slot"] = slot,
            ["Claimant"] = claimant,
            ["ClaimedAt"] = _timeProvider.GetUtcNow(),
        };
        try
        {
            await _table.AddEntityAsync(claim, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // The table went away (an emulator restarted): the next claim creates it.
            _exists = false;
            throw;
        }
    }

    public async Task<int> DeleteBeforeAsync(string run, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var first = ResultKeys.Escape(run) + ResultKeys.Separator;
        var before = Row(run, cutoff);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ClaimPartition} and RowKey ge {first} and RowKey lt {before}");
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, select: KeyColumns, cancellationToken: cancellationToken))
            {
                rows.Add(entity);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return 0;
        }

        foreach (var batch in rows.Chunk(MaxPerTransaction))
        {
            // Only the slot's claimant prunes, so nobody deletes these rows meanwhile.
            await _table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)), cancellationToken);
        }

        return rows.Count;
    }

    public async Task<int> DeleteRunsBeforeAsync(string runPrefix, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(runPrefix);
        // Escaped keys hold only letters, digits and "-._~": the prefix with its last character raised bounds its range.
        var first = ResultKeys.Escape(runPrefix);
        var after = first[..^1] + (char)(first[^1] + 1);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ClaimPartition} and RowKey ge {first} and RowKey lt {after}");
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, select: [.. KeyColumns, "Slot"], cancellationToken: cancellationToken))
            {
                if (entity.GetDateTimeOffset("Slot") is { } slot && slot < cutoff)
                {
                    rows.Add(entity);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return 0;
        }

        foreach (var batch in rows.Chunk(MaxPerTransaction))
        {
            await _table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)), cancellationToken);
        }

        return rows.Count;
    }

    private static string Row(string run, DateTimeOffset slot) =>
        string.Create(CultureInfo.InvariantCulture, $"{ResultKeys.Escape(run)}{ResultKeys.Separator}{slot.UtcTicks:D19}");
}
