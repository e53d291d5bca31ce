namespace Synthetics.Lab.StatusPage;

/// <summary>The lifecycle of a Statuspage incident.</summary>
public enum IncidentStatus
{
    /// <summary><c>investigating</c></summary>
    Investigating,

    /// <summary><c>identified</c></summary>
    Identified,

    /// <summary><c>monitoring</c></summary>
    Monitoring,

    /// <summary><c>resolved</c>: no longer in <c>unresolved.json</c>.</summary>
    Resolved,

    /// <summary><c>postmortem</c>: no longer in <c>unresolved.json</c>.</summary>
    Postmortem,
}
