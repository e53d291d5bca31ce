namespace Synthetics.Maintenance;

/// <summary>What one read of the status page gave.</summary>
/// <param name="Windows">The maintenance windows; empty when it could not be read.</param>
/// <param name="Failure">Why it could not be read, in one line (<c>status page 127.0.0.1: answered 500</c>); null when it was.</param>
public sealed record MaintenanceReading(IReadOnlyList<MaintenanceWindow> Windows, string? Failure);
