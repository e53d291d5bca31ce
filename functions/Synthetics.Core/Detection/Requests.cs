using System.Globalization;
using Synthetics.Results;

namespace Synthetics.Detection;

/// <summary>
/// What one stored run weighs in a window: a probe run is one request; a disruption sampler's run
/// (<c>disruption-new</c>, <c>disruption-reused</c>) is every sample it took, its failures by outcome from
/// <c>details.attempts</c>, <c>details.failures</c> and <c>details["failures.&lt;outcome&gt;"]</c>, and its latency the
/// median of its samples (<c>details.totalP50Ms</c>).
/// </summary>
/// <param name="Attempts">Requests the run made.</param>
/// <param name="Failed">Requests that failed.</param>
/// <param name="Outcomes">Failed requests by outcome.</param>
/// <param name="LatencyMs">The latency the run is judged by, or null when it has none (nothing succeeded).</param>
internal readonly record struct Requests(int Attempts, int Failed, IReadOnlyList<KeyValuePair<ProbeOutcome, int>> Outcomes, double? LatencyMs)
{
    private const string FailuresPrefix = "failures.";

    /// <summary>The disruption sampler's series on a kept-alive connection.</summary>
    public const string KeptConnectionProbe = "disruption-reused";

    private static readonly Dictionary<string, ProbeOutcome> ByContractName =
        Enum.GetValues<ProbeOutcome>().ToDictionary(o => o.ToContractName(), StringComparer.Ordinal);

    /// <summary>Whether <paramref name="run"/>'s requests went over a kept-alive connection rather than new ones.</summary>
    public static bool OnKeptConnection(ProbeResult run) => run.Probe == KeptConnectionProbe;

    // Each stored run is weighed many times an evaluation (window, long window, usual rate, latency): once is enough.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ProbeResult, object> Weighed = [];

    public static Requests Of(ProbeResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Details.Count == 0)
        {
            return run.Success ? new Requests(1, 0, [], run.DurationMs) : new Requests(1, 1, [new(run.Outcome, 1)], null);
        }

        return (Requests)Weighed.GetValue(run, r => Weigh(r));
    }

    private static Requests Weigh(ProbeResult run)
    {
        if (Number(run.Details, "attempts") is not { } sampled)
        {
            return run.Success
                ? new Requests(1, 0, [], run.DurationMs)
                : new Requests(1, 1, [new(run.Outcome, 1)], null);
        }

        var attempts = (int)Math.Max(0, sampled);
        var failed = (int)Math.Clamp(Number(run.Details, "failures") ?? 0, 0, attempts);
        var outcomes = new List<KeyValuePair<ProbeOutcome, int>>();
        foreach (var (key, value) in run.Details)
        {
            if (key.StartsWith(FailuresPrefix, StringComparison.Ordinal)
                && ByContractName.TryGetValue(key[FailuresPrefix.Length..], out var outcome)
                && !outcome.IsSuccess()
                && ToDouble(value) is { } count and > 0)
            {
                outcomes.Add(new(outcome, (int)count));
            }
        }

        // A sampler that names no outcome per failure still failed: those count under the run's own outcome.
        var named = outcomes.Sum(o => o.Value);
        if (named < failed)
        {
            outcomes.Add(new(run.Outcome.IsSuccess() ? ProbeOutcome.Error : run.Outcome, failed - named));
        }

        var latency = failed < attempts ? Number(run.Details, "totalP50Ms") : null;
        return new Requests(attempts, failed, outcomes, latency);
    }

    private static double? Number(IReadOnlyDictionary<string, object> details, string key) =>
        details.TryGetValue(key, out var value) ? ToDouble(value) : null;

    private static double? ToDouble(object value) => value switch
    {
        double d => double.IsFinite(d) ? d : null,
        IConvertible c and not string and not bool => c.ToDouble(CultureInfo.InvariantCulture),
        _ => null,
    };
}
