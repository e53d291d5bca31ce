namespace Synthetics.Maintenance;

/// <summary>What one read of the account gave: the items, or, when it failed, none and why in one line (never the token).</summary>
/// <param name="Items">What was read; empty on failure.</param>
/// <param name="Failure">Why it could not be read, e.g. <c>GET account/events: the Linode API answered 500</c>; null when it was.</param>
public sealed record AccountReading<T>(IReadOnlyList<T> Items, string? Failure);
