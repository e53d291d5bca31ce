namespace Synthetics.Lab.NodeBalancers;

/// <summary>
/// Counters of one vantage listener since the NodeBalancer started. Every accepted connection ends up in
/// exactly one of Forwarded, Stalled, Reset, Throttled (reset by the throttle), Blackholed or NoBackend;
/// Cut counts forwarded connections later reset by a cut, so it is a subset of Forwarded.
/// </summary>
public sealed record VantageStatistics(
    long Accepted,
    long Forwarded,
    long Stalled,
    long Reset,
    long Cut,
    long Throttled,
    long Blackholed,
    long NoBackend)
{
    /// <summary>All zeros.</summary>
    public static VantageStatistics Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>
    /// Forwarded connections whose flow a plan with <see cref="Faults.FaultPlan.DropOpenFlows"/> dropped silently (a
    /// subset of Forwarded, never also Cut).
    /// </summary>
    public long Dropped { get; init; }

    /// <summary>Field-wise sum, for totals over vantages.</summary>
    public VantageStatistics Add(VantageStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            Accepted + other.Accepted,
            Forwarded + other.Forwarded,
            Stalled + other.Stalled,
            Reset + other.Reset,
            Cut + other.Cut,
            Throttled + other.Throttled,
            Blackholed + other.Blackholed,
            NoBackend + other.NoBackend)
        {
            Dropped = Dropped + other.Dropped,
        };
    }
}
