using Synthetics.Targets;

namespace Synthetics.Probes;

/// <summary>Everything one probe run needs and records, besides its cancellation token.</summary>
public sealed class ProbeContext
{
    private readonly Dictionary<string, object> _details = new(StringComparer.Ordinal);

    public ProbeContext(Target target, string vantage, TimeProvider timeProvider, ProbingOptions options)
    {
        Target = target;
        Vantage = vantage;
        TimeProvider = timeProvider;
        Options = options;
        Phases = new PhaseClock(timeProvider);
        UserAgent = $"LKE-Synthetics/{ProductVersion.Value} ({vantage})";
    }

    public Target Target { get; }

    public string Vantage { get; }

    public TimeProvider TimeProvider { get; }

    public ProbingOptions Options { get; }

    public PhaseClock Phases { get; }

    /// <summary>Synthetic traffic says what it is: <c>LKE-Synthetics/&lt;version&gt; (&lt;vantage&gt;)</c>.</summary>
    public string UserAgent { get; }

    /// <summary>The Audit-IDs of this run's requests to a Kubernetes API; a failed run's result carries the last one.</summary>
    public AuditTrail Audit { get; } = new();

    /// <summary>
    /// When the cycle's budget runs out, as a <see cref="TimeProvider.GetTimestamp"/> value; null outside a cycle. A probe
    /// that holds for a period ends before it rather than be cut.
    /// </summary>
    public long? BudgetEndsAt { get; init; }

    /// <summary>
    /// Whether a TLS handshake records the certificate's facts (subject, issuer, expiry, protocol) in details. Default
    /// true; a sample of the disruption sampler keeps only its outcome and timings, and saves the decoding.
    /// </summary>
    internal bool RecordsCertificate { get; init; } = true;

    /// <summary>Where a run that holds for a period says what it measured so far (<see cref="CycleProgress"/>); null when no one looks.</summary>
    internal RunProgress? Progress { get; init; }

    /// <summary>The address connected to, once known.</summary>
    public string? RemoteAddress { get; set; }

    /// <summary>Facts for the result's <c>details</c>; recorded even when the probe later fails.</summary>
    public IReadOnlyDictionary<string, object> Details => _details;

    /// <summary>Adds or replaces a detail. Values are numbers, strings, booleans or string arrays.</summary>
    public void SetDetail(string name, object value) => _details[name] = value;
}
