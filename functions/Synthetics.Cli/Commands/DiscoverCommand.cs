using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Synthetics.Cli.Hosting;
using Synthetics.Configuration;
using Synthetics.Discovery;
using Synthetics.Linode;
using Synthetics.Targets;

namespace Synthetics.Cli.Commands;

/// <summary>
/// <c>discover --config FILE [--format json|table]</c>: reads the Linode API with the settings' token and prints what it
/// found, what the monitor would probe (the settings' targets win by name) and the dependency map (target → region → the
/// provider's status components). <c>json</c>: one target per line in the <c>Targets</c> format. Writes nothing: the
/// catalog table is discovery's (the <c>Discover</c> function, <c>run</c>).
/// </summary>
internal static class DiscoverCommand
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };
    private static readonly string[] Header = ["TARGET", "KIND", "REGION", "ENDPOINT", "PROBES", "FROM"];

    public static Command Create(TextWriter output, TextWriter error)
    {
        var config = new Option<FileInfo>("--config") { Description = "JSON file with a \"Synthetics\" section holding Linode:Token.", Required = true };
        var format = new Option<string>("--format") { Description = "json: one target per line (Targets format); table: for people.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("json", "table");
        var command = new Command("discover", "List the LKE clusters and NodeBalancers the Linode API yields, what would be probed, and what they depend on.")
        {
            config, format,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetRequiredValue(config), parseResult.GetRequiredValue(format), output, error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo configFile, string format, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var host = await PipelineHost.CreateOrReportAsync(configFile.FullName, null, error);
        if (host is null)
        {
            return CliApplication.BadUsage;
        }

        var options = host.Services.GetRequiredService<IOptions<SyntheticsOptions>>().Value;
        if (!options.Linode.IsEnabled)
        {
            await error.WriteLineAsync("error: Synthetics:Linode:Token is not set: discover reads the Linode API with a read-only personal access token (lke:read_only, nodebalancers:read_only)");
            return CliApplication.BadUsage;
        }

        DiscoveryResult result;
        try
        {
            result = await LinodeDiscoverer.Create(host.Services.GetRequiredService<IHttpClientFactory>(), options, host.Services.GetRequiredService<TimeProvider>())
                .DiscoverAsync(cancellationToken);
        }
        catch (LinodeApiException ex)
        {
            result = DiscoveryResult.Failed(ex.Message);
        }

        if (result.Failure is { } failure)
        {
            await error.WriteLineAsync($"error: the Linode API could not be read: {failure}");
            // A token the API refuses is the configuration's problem; an API that fails is not.
            return result.FailureStatus is 401 or 403 || result.FailureStatus is null && failure.StartsWith("Synthetics:", StringComparison.Ordinal)
                ? CliApplication.BadUsage
                : CliApplication.Failure;
        }

        var settings = host.Services.GetRequiredService<TargetCatalog>();
        var catalog = host.Services.GetRequiredService<TargetCatalogFactory>().WithDiscovered(options, settings, result.Targets);
        var probed = catalog.Targets.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
        var unresolved = catalog.Unresolved.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
        var fromSettings = settings.Targets.Select(t => t.Name).Concat(settings.Unresolved.Select(u => u.Name)).ToHashSet(StringComparer.OrdinalIgnoreCase);

        if (format == "json")
        {
            foreach (var target in result.Targets)
            {
                await output.WriteLineAsync(TargetLine(target, probed.GetValueOrDefault(target.Name)).ToJsonString(Compact));
            }

            foreach (var note in result.Notes)
            {
                await error.WriteLineAsync($"note: {note}");
            }

            return CliApplication.Success;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Found {result.Clusters} LKE clusters and {result.NodeBalancers} NodeBalancers: {result.Targets.Count} targets{(options.Discovery.Tags.Count > 0 ? $" (tags: {string.Join(", ", options.Discovery.Tags)})" : "")}."));
        await output.WriteLineAsync();
        var rows = new List<string[]> { Header };
        foreach (var target in result.Targets)
        {
            var endpoint = target.Url ?? $"{target.Host}:{target.Port?.ToString(CultureInfo.InvariantCulture)}";
            string probes;
            if (fromSettings.Contains(target.Name))
            {
                probes = "(the settings' target of this name is probed instead)";
            }
            else if (probed.TryGetValue(target.Name, out var built))
            {
                probes = string.Join(", ", built.Probes.Order(StringComparer.Ordinal));
                if (target.Kind == nameof(TargetKind.KubernetesApi) && built.Kubernetes is null)
                {
                    probes += $" (no kubeconfig: set Synthetics:Discovery:Kubeconfigs:{target.ClusterId?.ToString(CultureInfo.InvariantCulture)})";
                }
            }
            else if (unresolved.TryGetValue(target.Name, out var failed))
            {
                probes = $"not probed: {failed.Reason}";
            }
            else
            {
                probes = "not probed (see the warning above)";
            }

            rows.Add([target.Name, target.Kind, target.Region, endpoint, probes, Source(target)]);
        }

        await WriteTableAsync(output, rows);
        await output.WriteLineAsync();
        await output.WriteLineAsync("Dependency map (target → region → provider status components):");
        foreach (var target in result.Targets)
        {
            var components = DependencyMap.ComponentsOf(target.Kind, target.Region);
            await output.WriteLineAsync($"  {target.Name} → {target.Region} → {(components.Count > 0 ? string.Join(", ", components) : "(no status-page component known for this region)")}");
        }

        foreach (var note in result.Notes)
        {
            await output.WriteLineAsync($"note: {note}");
        }

        return CliApplication.Success;
    }

    /// <summary>A target as an entry of <c>Synthetics:Targets</c> (no secret: a cluster's kubeconfig stays in the settings).</summary>
    private static JsonObject TargetLine(DiscoveredTarget target, Target? built)
    {
        var line = new JsonObject
        {
            ["Name"] = target.Name,
            ["Kind"] = target.Kind,
            ["Region"] = target.Region,
        };
        if (target.Kind == nameof(TargetKind.Http) && target.Url is not null)
        {
            line["Url"] = target.Url;
        }

        if (target.Host is not null)
        {
            line["Host"] = target.Host;
            line["Port"] = target.Port;
        }

        if (built is not null)
        {
            line["Probes"] = new JsonArray([.. built.Probes.Order(StringComparer.Ordinal).Select(p => (JsonNode)JsonValue.Create(p))]);
        }

        var labels = new JsonObject();
        foreach (var (key, value) in target.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            labels[key] = value;
        }

        line["Labels"] = labels;
        return line;
    }

    private static string Source(DiscoveredTarget target) =>
        target.Labels.TryGetValue("clusterId", out var cluster) ? $"LKE cluster {cluster}"
        : target.Labels.TryGetValue("nodeBalancerId", out var nodeBalancer) ? $"NodeBalancer {nodeBalancer}"
        : target.Key;

    private static async Task WriteTableAsync(TextWriter output, List<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            await output.WriteLineAsync(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}
