namespace Synthetics.Storage;

/// <summary>
/// Where <see cref="ResultOutbox"/> parks batches it could not store, beyond the instance's own disk: the app's host
/// storage, in the vantage's own region, shared by every instance of the vantage. A batch is the outbox file's text
/// (a cycle's record line, then its result lines) under the outbox's id, which sorts by enqueue time.
/// </summary>
internal interface IOutboxParking
{
    /// <summary>Ids of the vantage's parked batches, oldest first.</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The parked batch <paramref name="id"/>; null when another instance stored and deleted it meanwhile.</summary>
    Task<ParkedBatch?> ReadAsync(string id, CancellationToken cancellationToken);

    /// <summary>Parks <paramref name="content"/> under <paramref name="id"/>; visible to <see cref="ListAsync"/> only once whole.</summary>
    Task ParkAsync(string id, string content, CancellationToken cancellationToken);

    /// <summary>Deletes a parked batch once stored. Deleting one already gone is no error.</summary>
    Task DeleteAsync(ParkedBatch batch, CancellationToken cancellationToken);

    /// <summary>Moves a batch that is not readable JSON lines out of the list, for a person to read: never retried, never dropped.</summary>
    Task SetAsideAsync(ParkedBatch batch, CancellationToken cancellationToken);
}
