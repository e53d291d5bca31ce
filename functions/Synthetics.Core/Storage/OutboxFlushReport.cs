namespace Synthetics.Storage;

/// <summary>
/// What one outbox flush did: batches and results stored, the transactions it took, batches still pending (on this
/// instance and parked in host storage), and whether it stopped early (the service failed or the budget ran out; what
/// is left is written by a later flush).
/// </summary>
public sealed record OutboxFlushReport(int Batches, int Results, int Transactions, int Pending, bool Completed)
{
    /// <summary>Batches this flush moved from the instance to host storage after stopping early (0 without host storage).</summary>
    public int Parked { get; init; }
}
