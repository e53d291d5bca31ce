namespace Synthetics.Lab.Region;

/// <summary>What <see cref="LabRegion.WriteConfig"/> wrote; every path is absolute.</summary>
/// <param name="Directory">The directory written to.</param>
/// <param name="Config"><c>synthetics.json</c>: the product config for the first vantage.</param>
/// <param name="VantageConfigs"><c>synthetics.&lt;vantage&gt;.json</c> per vantage, by vantage name.</param>
/// <param name="Manifest"><c>lab.json</c>: the lab's addresses and tokens, for tooling.</param>
public sealed record LabConfigFiles(string Directory, string Config, IReadOnlyDictionary<string, string> VantageConfigs, string Manifest)
{
    /// <summary>
    /// <c>synthetics.discovery.json</c>: the first vantage's config with no hand-written target, only the Linode API's URL
    /// and token (discovery finds the estate), the clusters' kubeconfigs by cluster id and the lab's status page. Holds
    /// secrets: owner-only.
    /// </summary>
    public string? DiscoveryConfig { get; init; }
}
