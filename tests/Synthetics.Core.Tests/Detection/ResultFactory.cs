using Synthetics.Results;

namespace Synthetics.Core.Tests.Detection;

/// <summary>Builds windows of results shaped like what a vantage point records.</summary>
internal static class ResultFactory
{
    public static readonly DateTimeOffset Start = new(2026, 3, 12, 14, 0, 0, TimeSpan.Zero);

    public static readonly string[] Probes = ["tcp", "tls", "kube-health", "kube-api"];

    /// <summary>
    /// One window of runs for a target at a vantage: <paramref name="runsPerProbe"/> runs of each probe, the first
    /// <paramref name="failures"/> runs (spread over probes) failing with <paramref name="outcome"/>.
    /// </summary>
    public static IEnumerable<ProbeResult> Window(
        string target, string region, string vantage, DateTimeOffset at, int runsPerProbe = 12, int failures = 0,
        ProbeOutcome outcome = ProbeOutcome.Timeout, double durationMs = 20)
    {
        for (var p = 0; p < Probes.Length; p++)
        {
            var probe = Probes[p];
            for (var run = 0; run < runsPerProbe; run++)
            {
                // Failures go round robin over the probes, earliest runs first.
                var failed = (run * Probes.Length) + p < failures;
                yield return new ProbeResult
                {
                    Timestamp = at.AddSeconds(run * 5),
                    Vantage = vantage,
                    Target = target,
                    TargetKind = "KubernetesApi",
                    Probe = probe,
                    Region = region,
                    Outcome = failed ? outcome : ProbeOutcome.Ok,
                    DurationMs = failed ? 10_000 : durationMs,
                };
            }
        }
    }

    /// <summary>
    /// One disruption sampler run on new connections, as the sampler stores it: <paramref name="attempts"/> samples from
    /// <paramref name="at"/>, <paramref name="failures"/> of them failing with <paramref name="outcome"/>.
    /// </summary>
    public static ProbeResult Sample(
        string target, string region, string vantage, DateTimeOffset at, int attempts = 36, int failures = 0,
        ProbeOutcome outcome = ProbeOutcome.Timeout, double p50Ms = 60, string series = "new") => new()
    {
        Timestamp = at,
        Vantage = vantage,
        Target = target,
        TargetKind = "KubernetesApi",
        Probe = $"disruption-{series}",
        Region = region,
        Outcome = failures > 0 ? outcome : ProbeOutcome.Ok,
        DurationMs = attempts * 1000,
        Details = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["series"] = series,
            ["attempts"] = attempts,
            ["failures"] = failures,
            [$"failures.{outcome.ToContractName()}"] = failures,
            ["totalP50Ms"] = p50Ms,
        },
    };
}
