namespace Synthetics.Storage;

/// <summary>What one retention run did. <see cref="Completed"/> is false when the time budget ran out first.</summary>
public sealed record RetentionReport(int Deleted, int Transactions, bool Completed);
