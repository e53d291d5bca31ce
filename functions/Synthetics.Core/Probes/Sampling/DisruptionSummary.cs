using System.Globalization;
using Synthetics.Probes.Kubernetes;
using Synthetics.Results;

namespace Synthetics.Probes.Sampling;

/// <summary>
/// A cycle's samples of one series as one result (contract: README "Result (contract)"): the outcome (<c>ok</c> when no
/// sample failed, else the most frequent failed outcome, the earliest on a tie), the median phases of the successful
/// samples, and the flat <c>details</c>: <c>series</c>, <c>attempts</c>, <c>failures</c>, <c>failures.&lt;outcome&gt;</c>,
/// <c>slowSamples</c>, <c>failedSamples</c> (at most <see cref="MaxFailedSamples"/>, then <c>failedSamplesDropped</c>),
/// and <c>&lt;phase&gt;P50Ms</c>, <c>P90Ms</c>, <c>P99Ms</c>, <c>MaxMs</c> for <c>connect</c>, <c>tls</c>, <c>ttfb</c>
/// and <c>total</c> over the successful samples.
/// </summary>
internal static class DisruptionSummary
{
    /// <summary>Failed samples listed per result; a minute of a dead target at one a second fits, and the row stays small.</summary>
    public const int MaxFailedSamples = 120;

    /// <summary>Writes the summary of <paramref name="samples"/> into <paramref name="context"/> and returns the observation.</summary>
    public static ProbeObservation Write(ProbeContext context, DisruptionSeries series, IReadOnlyList<DisruptionSample> samples)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(samples);
        var ordered = samples.OrderBy(s => s.StartedAt).ToArray();
        var failed = ordered.Where(s => s.Failed).ToArray();
        var succeeded = ordered.Where(s => !s.Failed).ToArray();

        context.SetDetail("series", SeriesName(series));
        context.SetDetail("attempts", ordered.Length);
        context.SetDetail("failures", failed.Length);
        context.SetDetail("slowSamples", succeeded.Count(s => s.Slow));
        foreach (var group in failed.GroupBy(s => s.Outcome))
        {
            context.SetDetail($"failures.{group.Key.ToContractName()}", group.Count());
        }

        if (failed.Length > 0)
        {
            context.SetDetail("failedSamples", failed.Take(MaxFailedSamples).Select(Describe).ToArray());
            if (failed.Length > MaxFailedSamples)
            {
                context.SetDetail("failedSamplesDropped", failed.Length - MaxFailedSamples);
            }
        }

        Percentiles(context, "connect", succeeded.Select(s => s.Phases.ConnectMs));
        Percentiles(context, "tls", succeeded.Select(s => s.Phases.TlsMs));
        Percentiles(context, "ttfb", succeeded.Select(s => s.Phases.TtfbMs));
        Percentiles(context, "total", succeeded.Select(s => (double?)s.TotalMs));

        Median(context, ProbePhase.Dns, succeeded.Select(s => s.Phases.DnsMs));
        Median(context, ProbePhase.Connect, succeeded.Select(s => s.Phases.ConnectMs));
        Median(context, ProbePhase.Tls, succeeded.Select(s => s.Phases.TlsMs));
        Median(context, ProbePhase.Ttfb, succeeded.Select(s => s.Phases.TtfbMs));
        Median(context, ProbePhase.Transfer, succeeded.Select(s => s.Phases.TransferMs));
        context.RemoteAddress = ordered.LastOrDefault(s => s.RemoteAddress is not null)?.RemoteAddress;

        if (failed.Length == 0)
        {
            return ProbeObservation.Ok with
            {
                Message = ordered.Length == 0 ? "no sample ended" : null,
            };
        }

        // Most frequent failure; on a tie, the one seen first.
        var leading = failed
            .Select((sample, index) => (sample.Outcome, index))
            .GroupBy(f => f.Outcome)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Min(f => f.index))
            .First().Key;
        var counts = string.Join(", ", failed.GroupBy(s => s.Outcome)
            .OrderByDescending(g => g.Count())
            .Select(g => $"{g.Key.ToContractName()} {g.Count()}"));
        var what = series == DisruptionSeries.New ? "new-connection" : "kept-connection";
        return new ProbeObservation(leading)
        {
            Message = $"{failed.Length} of {ordered.Length} {what} samples failed ({counts})",
        };
    }

    /// <summary>The series' name in results: <c>new</c> or <c>reused</c>.</summary>
    public static string SeriesName(DisruptionSeries series) => series == DisruptionSeries.New ? "new" : "reused";

    /// <summary><c>&lt;UTC start to the second&gt;Z|&lt;outcome&gt;|&lt;phase&gt;|&lt;remote address&gt;|&lt;audit id&gt;|&lt;echoed&gt;</c>, <c>-</c> for unknown.</summary>
    internal static string Describe(DisruptionSample sample) => string.Join('|',
        sample.StartedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "Z",
        sample.Outcome.ToContractName(),
        sample.FailedPhase is { } phase ? PhaseName(phase) : "-",
        sample.RemoteAddress ?? "-",
        sample.AuditId ?? "-",
        sample.AuditIdEchoed is { } echoed ? (echoed ? "true" : "false") : "-");

    internal static string PhaseName(ProbePhase phase) => phase switch
    {
        ProbePhase.Dns => "dns",
        ProbePhase.Connect => "connect",
        ProbePhase.Tls => "tls",
        ProbePhase.Ttfb => "ttfb",
        _ => "transfer",
    };

    private static void Percentiles(ProbeContext context, string name, IEnumerable<double?> values)
    {
        var measured = values.OfType<double>().ToArray();
        if (measured.Length == 0)
        {
            return;
        }

        context.SetDetail($"{name}P50Ms", LatencySummary.Round(LatencySummary.Percentile(measured, 50)));
        context.SetDetail($"{name}P90Ms", LatencySummary.Round(LatencySummary.Percentile(measured, 90)));
        context.SetDetail($"{name}P99Ms", LatencySummary.Round(LatencySummary.Percentile(measured, 99)));
        context.SetDetail($"{name}MaxMs", LatencySummary.Round(measured.Max()));
    }

    private static void Median(ProbeContext context, ProbePhase phase, IEnumerable<double?> values)
    {
        var measured = values.OfType<double>().ToArray();
        if (measured.Length > 0)
        {
            context.Phases.Record(phase, LatencySummary.Round(LatencySummary.Percentile(measured, 50)));
        }
    }
}
