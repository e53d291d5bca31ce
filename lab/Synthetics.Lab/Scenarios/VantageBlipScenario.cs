using Synthetics.Lab.Faults;
using Synthetics.Lab.Region;

namespace Synthetics.Lab.Scenarios;

/// <summary>
/// One vantage point loses its network path: every NodeBalancer blackholes that vantage's connections while the others
/// see nothing wrong. The monitor must call this the vantage's problem, not the provider's.
/// </summary>
internal static class VantageBlipScenario
{
    /// <summary>Default blackout, before <see cref="LabScenarioOptions.TimeScale"/>.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(3);

    /// <summary>The vantage that blips: the configured one, or the second (the only one when there is one).</summary>
    public static string VantageOf(LabRegion region, LabScenarioOptions options)
    {
        var vantage = options.Vantage ?? (region.Vantages.Count > 1 ? region.Vantages[1] : region.Vantages[0]);
        return region.Vantages.Contains(vantage, StringComparer.Ordinal)
            ? vantage
            : throw new ArgumentException(
                $"vantage-blip: '{vantage}' is not one of the region's vantages ({string.Join(", ", region.Vantages)}).", nameof(options));
    }

    public static void Write(ScenarioScript script, LabRegion region, LabScenarioOptions options)
    {
        var vantage = VantageOf(region, options);
        var window = options.WindowOr(DefaultWindow);
        var blackhole = new FaultPlan { Blackhole = true };
        foreach (var nodeBalancer in region.NodeBalancers.Values)
        {
            script.Fault(
                options.Onset,
                window,
                nodeBalancer,
                blackhole,
                vantage,
                $"vantage {vantage} blackholed on {nodeBalancer.Name} for {LabScenarios.Format(window)}");
        }
    }
}
