namespace Synthetics.Lab.StatusPage;

/// <summary>A Statuspage component status, declared from least to most severe: a group shows its worst child.</summary>
public enum ComponentStatus
{
    /// <summary><c>operational</c></summary>
    Operational,

    /// <summary><c>under_maintenance</c></summary>
    UnderMaintenance,

    /// <summary><c>degraded_performance</c></summary>
    DegradedPerformance,

    /// <summary><c>partial_outage</c></summary>
    PartialOutage,

    /// <summary><c>major_outage</c></summary>
    MajorOutage,
}
