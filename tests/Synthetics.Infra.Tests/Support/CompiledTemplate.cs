using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace Synthetics.Infra.Tests.Support;

/// <summary>infra/main.bicep compiled once per test run with the real Bicep CLI (from NuGet), and ways to read it.</summary>
internal static class CompiledTemplate
{
    public static readonly string Root = Path.GetFullPath(Metadata("RepositoryRoot"));

    private static readonly Lazy<(int Exit, string Output, string Errors)> Compiled = new(() => Bicep("build", "infra/main.bicep", "--stdout"));

    public static (int Exit, string Output, string Errors) Build => Compiled.Value;

    public static JsonNode Template => JsonNode.Parse(Compiled.Value.Output)!;

    /// <summary>Every resource of <paramref name="type"/>, in the main template and its nested module templates.</summary>
    public static IEnumerable<JsonNode> Resources(string type) => Resources(Template, type);

    public static IEnumerable<JsonNode> Resources(JsonNode root, string type) => ResourcesIn(root, type).Select(r => r.Resource);

    /// <summary>Every resource of <paramref name="type"/> with the (module) template that declares it, whose variables it reads.</summary>
    public static IEnumerable<(JsonNode Resource, JsonNode Template)> ResourcesIn(JsonNode root, string type)
    {
        var pending = new Stack<JsonNode>([root]);
        while (pending.Count > 0)
        {
            var template = pending.Pop();
            foreach (var resource in Items(template["resources"]))
            {
                if (resource["type"]?.GetValue<string>() == type)
                {
                    yield return (resource, template);
                }

                if (resource["properties"]?["template"] is { } nested)
                {
                    pending.Push(nested);
                }
            }
        }
    }

    /// <summary>The module deployment (a <c>Microsoft.Resources/deployments</c> resource) whose template holds a resource of <paramref name="type"/>.</summary>
    public static JsonNode ModuleDeploying(string type) =>
        Items(Template["resources"]).Single(r => r["type"]?.GetValue<string>() == "Microsoft.Resources/deployments"
                                                  && r["properties"]?["template"] is { } t && Resources(t, type).Any());

    public static (int Exit, string Output, string Errors) Bicep(params string[] arguments)
    {
        var bicep = Metadata("BicepPath");
        // NuGet does not keep the executable bit of the packaged CLI.
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(bicep) is var mode && !mode.HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(bicep, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        var start = new ProcessStartInfo(bicep)
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["BICEP_TRACING_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, errors.Result);
    }

    private static IEnumerable<JsonNode> Items(JsonNode? resources) => resources switch
    {
        JsonArray array => array.OfType<JsonNode>(),
        JsonObject map => map.Select(p => p.Value).OfType<JsonNode>(),
        _ => [],
    };

    private static string Metadata(string key) =>
        typeof(CompiledTemplate).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"{key} missing");
}
