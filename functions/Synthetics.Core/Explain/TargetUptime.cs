namespace Synthetics.Explain;

/// <summary>One target's month.</summary>
public sealed record TargetUptime
{
    public required string Target { get; init; }

    /// <summary><c>cluster</c> (an LKE control plane) or <c>nodebalancer</c> (an Http or Tcp target).</summary>
    public required string Kind { get; init; }

    public required string Region { get; init; }

    /// <summary>What each vantage measured.</summary>
    public required IReadOnlyList<VantageUptime> Vantages { get; init; }

    /// <summary>Every vantage's runs together.</summary>
    public required VantageUptime Pooled { get; init; }

    /// <summary>Minutes inside the provider-side incidents that concerned this target (first seen to resolved, merged).</summary>
    public required double DisruptionMinutes { get; init; }

    /// <summary>Of them, minutes inside a maintenance announced far enough ahead: exempt under the SLA.</summary>
    public required double ExemptMinutes { get; init; }

    /// <summary>Of the counted minutes, those of incidents in the <c>down</c> state: what the SLA calls downtime.</summary>
    public required double DownMinutes { get; init; }

    /// <summary>Uptime against the SLA: 1 − counted down minutes / minutes in the month.</summary>
    public required double SlaUptime { get; init; }

    /// <summary>The month including degradation: 1 − counted disruption minutes / minutes in the month.</summary>
    public required double UndisruptedShare { get; init; }

    /// <summary>Whether <see cref="SlaUptime"/> meets the guarantee.</summary>
    public required bool MeetsSla { get; init; }

    /// <summary>The incidents that concerned it.</summary>
    public required IReadOnlyList<string> Incidents { get; init; }

    /// <summary>Disruption minutes that count against the provider.</summary>
    public double CountedDisruptionMinutes => DisruptionMinutes - ExemptMinutes;
}
