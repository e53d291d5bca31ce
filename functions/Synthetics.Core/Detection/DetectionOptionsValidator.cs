namespace Synthetics.Detection;

/// <summary>Checks <c>Synthetics:Detection</c>; each message names the setting.</summary>
internal static class DetectionOptionsValidator
{
    public static void Validate(DetectionOptions options, List<string> errors)
    {
        const string Section = "Synthetics:Detection";
        if (options.Window <= TimeSpan.Zero)
        {
            errors.Add($"{Section}:Window must be positive (was {options.Window})");
        }

        if (options.BaselineWindow < TimeSpan.Zero)
        {
            errors.Add($"{Section}:BaselineWindow must not be negative");
        }

        if (options.SilentAfter <= TimeSpan.Zero)
        {
            errors.Add($"{Section}:SilentAfter must be positive (was {options.SilentAfter})");
        }

        if (options.DegradedFailureRatio is <= 0 or > 1 || options.DownFailureRatio is <= 0 or > 1 || options.DownFailureRatio < options.DegradedFailureRatio)
        {
            errors.Add($"{Section}:DegradedFailureRatio and {Section}:DownFailureRatio must be in (0, 1], degraded ≤ down");
        }

        if (options.MinFailures < 1 || options.MinRunsForLatency < 1)
        {
            errors.Add($"{Section}:MinFailures and {Section}:MinRunsForLatency must be at least 1");
        }

        if (options.LatencyFactor <= 1 || options.LatencyFloorMs < 0)
        {
            errors.Add($"{Section}:LatencyFactor must be above 1 and {Section}:LatencyFloorMs not negative");
        }

        if (options.MinAgreeingVantages < 1 || options.RegionMinTargets < 1 || options.OpenAfter < 1 || options.ResolveAfter < 1)
        {
            errors.Add($"{Section}:MinAgreeingVantages, RegionMinTargets, OpenAfter and ResolveAfter must be at least 1");
        }
    }
}
