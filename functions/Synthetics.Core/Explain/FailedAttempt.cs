namespace Synthetics.Explain;

/// <summary>One failed probe run as stored, with what support needs to find it in their own logs.</summary>
public sealed record FailedAttempt
{
    /// <summary>When it started, UTC (the report prints it to the second; the JSON keeps the full precision).</summary>
    public required DateTimeOffset At { get; init; }

    public required string Vantage { get; init; }

    public required string Target { get; init; }

    /// <summary>The probe, or the sampler series when the result carries one (<c>details.series</c>).</summary>
    public required string Probe { get; init; }

    public string? RemoteAddress { get; init; }

    /// <summary>The last phase the run reached (<c>dns</c>, <c>connect</c>, <c>tls</c>, <c>ttfb</c>, <c>transfer</c>): where it failed; null when none was timed.</summary>
    public string? Phase { get; init; }

    /// <summary>The outcome's contract name, e.g. <c>timeout</c>.</summary>
    public required string Outcome { get; init; }

    public required double DurationMs { get; init; }

    public int? StatusCode { get; init; }

    public string? Message { get; init; }

    /// <summary>The <c>Audit-ID</c> the request carried (<c>details.auditId</c>), when the probe recorded one.</summary>
    public string? AuditId { get; init; }

    /// <summary>Whether the API server echoed the Audit-ID (<c>details.auditIdEchoed</c>): the request reached it.</summary>
    public bool? AuditIdEchoed { get; init; }

    /// <summary>Whether it started inside the incident's window (always true without an incident).</summary>
    public bool InProblemWindow { get; init; } = true;
}
