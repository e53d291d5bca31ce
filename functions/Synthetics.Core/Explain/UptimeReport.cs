namespace Synthetics.Explain;

/// <summary>
/// A month of availability per cluster and NodeBalancer, per vantage and pooled, with the provider-side disruption the
/// detector saw and the comparison with the provider's SLA: what an MSP sends its customers and the provider monthly.
/// </summary>
public sealed record UptimeReport
{
    public required string Title { get; init; }

    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>The month, <c>YYYY-MM</c>.</summary>
    public required string Month { get; init; }

    /// <summary>Start of the month (UTC).</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Start of the next month (UTC), or now for the month in progress.</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Minutes in the calendar month: what the SLA's percentage is of.</summary>
    public required double MinutesInMonth { get; init; }

    public required ProviderSla Sla { get; init; }

    public required IReadOnlyList<TargetUptime> Targets { get; init; }

    /// <summary>Provider-side incidents (target and region scope) of the month.</summary>
    public required IReadOnlyList<UptimeIncident> Incidents { get; init; }

    /// <summary>The provider's maintenances of the month the status page still lists, with their notice.</summary>
    public required IReadOnlyList<UptimeMaintenance> Maintenances { get; init; }
}
