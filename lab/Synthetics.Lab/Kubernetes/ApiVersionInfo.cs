using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synthetics.Lab.Kubernetes;

/// <summary>
/// The body of <c>/version</c> (<c>version.Info</c>). Build fields are plausible constants: clients and probes read
/// <c>gitVersion</c>, <c>major</c> and <c>minor</c>, never the commit.
/// </summary>
internal sealed record ApiVersionInfo(string Major, string Minor, string GitVersion)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static ApiVersionInfo Parse(string gitVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gitVersion);
        var parts = gitVersion.TrimStart('v').Split('.', '-', '+');
        if (parts.Length < 3 || !parts.Take(3).All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            throw new ArgumentException($"'{gitVersion}' is not a Kubernetes version like v1.31.4.", nameof(gitVersion));
        }

        return new ApiVersionInfo(parts[0], parts[1], gitVersion.StartsWith('v') ? gitVersion : "v" + gitVersion);
    }

    public string ToJson() => new JsonObject
    {
        ["major"] = Major,
        ["minor"] = Minor,
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = "a78aa47129b8539636eb86a9d00e31b2720fe06b",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2024-12-10T11:37:12Z",
        ["goVersion"] = "go1.22.10",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    }.ToJsonString(Indented);
}
