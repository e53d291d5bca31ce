namespace Synthetics.Probes.Kubernetes;

/// <summary>Percentiles of a handful of round trips, nearest-rank (no interpolation: each reported value was observed).</summary>
internal static class LatencySummary
{
    public static double Percentile(IReadOnlyList<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double Round(double milliseconds) => Math.Round(milliseconds, 3);
}
