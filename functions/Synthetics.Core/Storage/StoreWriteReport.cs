namespace Synthetics.Storage;

/// <summary>What one write cost: entities written (both tables) and the transactions (billed operations) it took.</summary>
public sealed record StoreWriteReport(int Entities, int Transactions);
