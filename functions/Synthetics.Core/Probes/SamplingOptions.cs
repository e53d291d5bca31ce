using Synthetics.Configuration;

namespace Synthetics.Probes;

/// <summary>
/// The disruption sampler (<c>disruption-new</c>, <c>disruption-reused</c>): the <c>Synthetics:Probing:Sampling</c>
/// section. During each probe cycle every control plane and NodeBalancer target gets one request a second on a fresh
/// connection and one on a kept-alive connection, as OpenShift's disruption monitors sample; a cycle's samples become one
/// result per target and series. Checked at start by its attributes and <see cref="SamplingOptionsValidator"/>.
/// </summary>
/// <remarks>
/// Two samples a second per target is two new connections a second at most (the kept connection is opened once), far under
/// a NodeBalancer's per-client connection throttle (Linode's is configurable from 0 to 20 new connections a second per
/// client IP; 0 means off).
/// </remarks>
public sealed class SamplingOptions
{
    /// <summary>The series a target can be sampled on: a fresh connection per sample, or one kept alive across samples.</summary>
    public static readonly IReadOnlyList<string> KnownSeries = ["new", "reused"];

    /// <summary>Whether cycles sample at all. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Seconds between the starts of two samples of one series (&gt; 0 and ≤ 60). Default 1.</summary>
    [SettingRange(0, 60, MinimumIsExclusive = true)]
    public double IntervalSeconds { get; set; } = 1;

    /// <summary>
    /// How long each cycle samples, in seconds (&gt; 0 and ≤ 300; at least <see cref="IntervalSeconds"/>). Default 36: with
    /// the default 10 s probe timeout the last sample ends by 46 s, inside the 50 s cycle budget; the lease canary holds
    /// the invocation 40 s anyway. Together with <see cref="ProbingOptions.TimeoutSeconds"/> it must fit in
    /// <see cref="ProbingOptions.CycleBudgetSeconds"/>; a target whose own timeout is longer samples for less.
    /// </summary>
    [SettingRange(0, ProbingOptions.MaxSeconds, MinimumIsExclusive = true)]
    public double PeriodSeconds { get; set; } = 36;

    /// <summary>
    /// The series sampled, comma-separated: <c>new</c> (a fresh connection, TLS and request each sample; for Tcp targets
    /// the connect alone), <c>reused</c> (a request on a kept-alive connection; not for Tcp targets). Default <c>new,reused</c>.
    /// </summary>
    public string Series { get; set; } = "new,reused";

    /// <summary>Whether <paramref name="series"/> is one of <see cref="Series"/>.</summary>
    public bool Samples(string series) => Enabled && ParseSeries(Series).Contains(series, StringComparer.Ordinal);

    /// <summary>The names in a <see cref="Series"/> value, trimmed and lower-cased.</summary>
    internal static string[] ParseSeries(string? value) =>
        [.. (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s => s.ToLowerInvariant())];
}
