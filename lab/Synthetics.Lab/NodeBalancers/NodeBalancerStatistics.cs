namespace Synthetics.Lab.NodeBalancers;

/// <summary>A snapshot of a NodeBalancer's counters, per vantage and in total.</summary>
public sealed record NodeBalancerStatistics(
    IReadOnlyDictionary<string, VantageStatistics> Vantages,
    VantageStatistics Total);
