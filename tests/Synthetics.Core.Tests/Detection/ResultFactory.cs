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
}
