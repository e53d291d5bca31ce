namespace Synthetics.Lab.StatusPage;

/// <summary>The impact of an incident or maintenance, which also drives the page's overall indicator.</summary>
public enum IncidentImpact
{
    /// <summary><c>none</c></summary>
    None,

    /// <summary><c>minor</c></summary>
    Minor,

    /// <summary><c>major</c></summary>
    Major,

    /// <summary><c>critical</c></summary>
    Critical,

    /// <summary><c>maintenance</c>: the usual impact of a scheduled maintenance.</summary>
    Maintenance,
}
