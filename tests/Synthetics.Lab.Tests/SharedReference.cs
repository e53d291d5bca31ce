namespace Synthetics.Lab.Tests;

/// <summary>
/// The reference data kept beside DESIGN.md (<c>shared/reference/</c>: the Linode OpenAPI spec, status page captures),
/// read in place rather than copied into the tests, so there is one copy to trust. Found by walking up from the test
/// binaries to the first directory that holds <c>shared/reference</c>.
/// </summary>
internal static class SharedReference
{
    private static readonly Lazy<string> Root = new(Find);

    /// <summary>The full path of a reference file, e.g. <c>PathOf("statuspage", "linode-components.json")</c>.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root.Value, .. parts]);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "reference");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No shared/reference directory above {AppContext.BaseDirectory}.");
    }
}
