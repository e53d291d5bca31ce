using Synthetics.Lab.Region;

namespace Synthetics.Lab.Scenarios;

/// <summary>
/// One web backend stops (its port refuses) and the web NodeBalancer and the Linode API mark it DOWN; the others carry
/// the traffic. Clients should see at most a blip: this is the "provider fine, one node gone" shape.
/// </summary>
internal static class BackendDownScenario
{
    /// <summary>Default outage, before <see cref="LabScenarioOptions.TimeScale"/>.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(5);

    public static void Write(ScenarioScript script, LabRegion region, LabScenarioOptions options)
    {
        var index = options.BackendIndex;
        var names = region.WebBackends.Names;
        if (index >= names.Count)
        {
            throw new ArgumentException($"backend-down: BackendIndex {index} is out of range (0–{names.Count - 1}).", nameof(options));
        }

        var window = options.WindowOr(DefaultWindow);
        script.Window(
            options.Onset,
            window,
            $"web backend {names[index]} down behind {region.WebNodeBalancer.Name} for {LabScenarios.Format(window)}",
            cancellationToken => region.SetWebBackendUpAsync(index, isUp: false, cancellationToken),
            cancellationToken => region.SetWebBackendUpAsync(index, isUp: true, cancellationToken));
    }
}
