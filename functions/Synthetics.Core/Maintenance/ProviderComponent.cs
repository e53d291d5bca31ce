using System.Text.RegularExpressions;

namespace Synthetics.Maintenance;

/// <summary>
/// A status-page component read as a Linode region and service: <c>CA-Central (Toronto) NodeBalancers</c> is the
/// NodeBalancers of <c>ca-central</c>. Names are matched with runs of spaces folded (Linode's own page has
/// <c>EU-Central (Frankfurt)  NodeBalancers</c>).
/// </summary>
public sealed partial record ProviderComponent(string Name, string? Region, string Service)
{
    // Status-page prefixes whose Linode region id is not simply the lowercased prefix.
    private static readonly Dictionary<string, string> RegionIds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AP-Northeast-2"] = "ap-northeast",
    };

    private static readonly string[] Services = ["NodeBalancers", "Linode Kubernetes Engine", "Block Storage", "Object Storage", "Backups"];

    /// <summary>Reads a component name; a name without a region (<c>Linode Manager and API</c>) has a null region.</summary>
    public static ProviderComponent Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var folded = Spaces().Replace(name.Trim(), " ");
        var match = RegionName().Match(folded);
        if (!match.Success)
        {
            return new ProviderComponent(folded, null, folded);
        }

        var prefix = match.Groups["prefix"].Value;
        var region = RegionIds.TryGetValue(prefix, out var known) ? known : prefix.ToLowerInvariant();
        var rest = match.Groups["rest"].Value.Trim();
        var service = rest.Length == 0 ? "Linodes" : Services.FirstOrDefault(s => s.Equals(rest, StringComparison.OrdinalIgnoreCase)) ?? rest;
        return new ProviderComponent(folded, region, service);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^(?<prefix>[A-Z]{2}-[A-Za-z]+(?:-\d+)?) \([^)]*\)(?<rest>.*)$")]
    private static partial Regex RegionName();
}
