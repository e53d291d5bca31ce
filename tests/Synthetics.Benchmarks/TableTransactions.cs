namespace Synthetics.Benchmarks;

/// <summary>Table service requests counted by <see cref="TableTransactionCounter"/>; a batch counts once, whatever it holds.</summary>
internal sealed record TableTransactions(long Reads, long Writes, long Deletes, long Batches, long BatchedOperations, long RequestBytes)
{
    public long Transactions => Reads + Writes + Deletes + Batches;

    public TableTransactions Minus(TableTransactions earlier) => new(
        Reads - earlier.Reads,
        Writes - earlier.Writes,
        Deletes - earlier.Deletes,
        Batches - earlier.Batches,
        BatchedOperations - earlier.BatchedOperations,
        RequestBytes - earlier.RequestBytes);
}
