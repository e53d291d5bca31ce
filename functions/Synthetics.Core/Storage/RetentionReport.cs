namespace Synthetics.Storage;

/// <summary>What one retention run did. <see cref="Completed"/> is false when the time budget ran out first.</summary>
/// <param name="Deleted">Results and cycle records deleted.</param>
/// <param name="Transactions">Transactions those deletes took.</param>
/// <param name="Completed">False when the time budget ran out first; the next run continues.</param>
public sealed record RetentionReport(int Deleted, int Transactions, bool Completed)
{
    /// <summary>Incident history events deleted (older than the retention days).</summary>
    public int HistoryDeleted { get; init; }

    /// <summary>Run claims of past retention slots deleted.</summary>
    public int ClaimsDeleted { get; init; }
}
