namespace Synthetics.Lab.StatusPage;

/// <summary>The lifecycle of a Statuspage scheduled maintenance.</summary>
public enum MaintenanceStatus
{
    /// <summary><c>scheduled</c>: listed in <c>upcoming.json</c>.</summary>
    Scheduled,

    /// <summary><c>in_progress</c>: listed in <c>active.json</c>; affected components are under maintenance.</summary>
    InProgress,

    /// <summary><c>verifying</c>: still listed in <c>active.json</c>.</summary>
    Verifying,

    /// <summary><c>completed</c>: no longer listed.</summary>
    Completed,
}
