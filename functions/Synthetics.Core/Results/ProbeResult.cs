namespace Synthetics.Results;

/// <summary>One probe run: the record stored, sent as telemetry and printed (contract: DESIGN §3, result.schema.json).</summary>
public sealed record ProbeResult
{
    /// <summary>UTC start of the probe run.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The vantage point (run location) that measured.</summary>
    public required string Vantage { get; init; }

    public required string Target { get; init; }

    /// <summary><c>KubernetesApi</c>, <c>Http</c>, <c>Tcp</c>.</summary>
    public required string TargetKind { get; init; }

    /// <summary><c>dns</c>, <c>tcp</c>, <c>tls</c>, <c>http</c>, <c>kube-health</c>, …</summary>
    public required string Probe { get; init; }

    public required string Region { get; init; }

    public bool Success => Outcome.IsSuccess();

    public required ProbeOutcome Outcome { get; init; }

    public required double DurationMs { get; init; }

    public ProbePhases Phases { get; init; } = ProbePhases.None;

    public int? StatusCode { get; init; }

    public string? RemoteAddress { get; init; }

    public string? Message { get; init; }

    /// <summary>Probe-specific figures and facts (numbers, strings, booleans, string lists).</summary>
    public IReadOnlyDictionary<string, object> Details { get; init; } = EmptyDetails;

    private static readonly IReadOnlyDictionary<string, object> EmptyDetails = new Dictionary<string, object>();
}
