namespace Synthetics.Storage;

/// <summary>
/// What one outbox flush did: batches and results stored, the transactions it took, batches still pending, and
/// whether it stopped early (the service failed or the budget ran out; what is left is written by a later flush).
/// </summary>
public sealed record OutboxFlushReport(int Batches, int Results, int Transactions, int Pending, bool Completed);
