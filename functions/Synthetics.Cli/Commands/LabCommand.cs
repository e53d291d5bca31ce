using System.CommandLine;
using System.Globalization;
using Synthetics.Lab.Region;
using Synthetics.Lab.Scenarios;

namespace Synthetics.Cli.Commands;

/// <summary>
/// <c>lab [--scenario NAME] [--out DIR] [--vantages a,b,c] [--seed N] [--onset SECONDS] [--time-scale X]</c>: starts a
/// local LKE region set, writes configs for it into DIR and runs until Ctrl-C, printing scenario steps as they apply.
/// Tokens go into DIR's files only, never to the console.
/// </summary>
internal static class LabCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var scenario = new Option<string>("--scenario")
        {
            Description = $"Scenario to play: {string.Join(", ", LabScenarios.Names)}.",
            DefaultValueFactory = _ => LabScenarios.Healthy,
        };
        var outDirectory = new Option<DirectoryInfo>("--out")
        {
            Description = "Directory the configs, kubeconfigs and lab.json are written to.",
            DefaultValueFactory = _ => new DirectoryInfo(".lab"),
        };
        var vantages = new Option<string?>("--vantages")
        {
            Description = $"Comma-separated vantage names (NodeBalancer listeners). Default {string.Join(",", LabRegionOptions.DefaultVantages)}.",
        };
        var seed = new Option<int?>("--seed") { Description = "Seed of the NodeBalancers' fault decisions. Default 20240312." };
        var onset = new Option<double?>("--onset") { Description = "Seconds from start until the scenario's trouble begins. Default 30." };
        var timeScale = new Option<double?>("--time-scale") { Description = "Factor on the scenario's durations (0.1: ten times faster). Default 1." };

        var command = new Command("lab", "Start the local LKE region set (lab), write configs for it and run until Ctrl-C.")
        {
            scenario, outDirectory, vantages, seed, onset, timeScale,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            new LabArguments(
                parseResult.GetRequiredValue(scenario),
                parseResult.GetRequiredValue(outDirectory),
                parseResult.GetValue(vantages),
                parseResult.GetValue(seed),
                parseResult.GetValue(onset),
                parseResult.GetValue(timeScale)),
            output,
            error,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(LabArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!LabScenarios.IsKnown(arguments.Scenario))
        {
            await error.WriteLineAsync($"error: unknown scenario '{arguments.Scenario}' (known: {string.Join(", ", LabScenarios.Names)})");
            return CliApplication.BadUsage;
        }

        // Negated so NaN fails too.
        if (arguments.Onset is { } onset && !(onset >= 0) || arguments.TimeScale is { } scale && !(scale > 0))
        {
            await error.WriteLineAsync("error: --onset must be 0 or more and --time-scale greater than 0");
            return CliApplication.BadUsage;
        }

        var console = new StepConsole(output);
        var defaults = new LabScenarioOptions();
        var options = new LabRegionOptions
        {
            Scenario = arguments.Scenario,
            Vantages = arguments.Vantages is null
                ? LabRegionOptions.DefaultVantages
                : [.. arguments.Vantages.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
            Seed = arguments.Seed ?? new LabRegionOptions().Seed,
            ScenarioOptions = new LabScenarioOptions
            {
                Onset = arguments.Onset is { } seconds ? TimeSpan.FromSeconds(seconds) : defaults.Onset,
                TimeScale = arguments.TimeScale ?? defaults.TimeScale,
            },
            ScenarioStepApplied = console.StepApplied,
        };

        LabRegion region;
        try
        {
            region = await LabRegion.StartAsync(options, cancellationToken);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return CliApplication.BadUsage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return CliApplication.Success;
        }

        await using (region)
        {
            LabConfigFiles files;
            try
            {
                files = region.WriteConfig(arguments.Out.FullName);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"error: cannot write to --out '{arguments.Out}' ({ex.GetType().Name})");
                return CliApplication.BadUsage;
            }

            console.Ready(Describe(region, files));
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C: the normal way to stop the lab.
            }
        }

        console.Write("lab stopped");
        return CliApplication.Success;
    }

    /// <summary>The address block: everything someone needs to point the product at the lab. No tokens.</summary>
    private static string Describe(LabRegion region, LabConfigFiles files)
    {
        var text = new System.Text.StringBuilder();
        var steps = region.ScenarioSteps.Count > 0 ? $", {region.ScenarioSteps.Count} steps" : "";
        text.AppendLine(CultureInfo.InvariantCulture, $"LKE Synthetics lab is up: scenario {region.Scenario} ({LabScenarios.Describe(region.Scenario)}{steps})");
        text.AppendLine(CultureInfo.InvariantCulture, $"Vantages: {string.Join(", ", region.Vantages)} (one NodeBalancer listener each)");
        text.AppendLine("Kubernetes API (LKE control planes behind NodeBalancers):");
        foreach (var cluster in region.Clusters)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {cluster.Label} (LKE {cluster.Id}, {cluster.LinodeRegion}, NodeBalancer {cluster.NodeBalancer.Name})");
            foreach (var vantage in region.Vantages)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    {vantage,-12} {cluster.GetServerUrl(vantage).GetLeftPart(UriPartial.Authority)}");
            }
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Web ({LabRegion.CaCentral}, NodeBalancer {region.WebNodeBalancer.Name}, {region.WebBackends.Names.Count} HTTPS backends):");
        foreach (var vantage in region.Vantages)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {vantage,-12} {region.GetWebUrl(vantage)}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Linode API    {new Uri(region.LinodeApi.BaseAddress, "v4/")}  (bearer token in lab.json)");
        text.AppendLine(CultureInfo.InvariantCulture, $"Status page   {new Uri(region.StatusPage.BaseAddress, "api/v2/summary.json")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Ingestion     {region.Ingestion.BaseAddress}  (connection string in lab.json)");
        text.AppendLine(CultureInfo.InvariantCulture, $"Admin         {new Uri(region.AdminAddress, "admin/nodebalancers")}  {new Uri(region.AdminAddress, "admin/scenario")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Files in {files.Directory}: synthetics.json ({region.Vantages[0]}), {string.Join(", ", files.VantageConfigs.Values.Select(Path.GetFileName))}, lab.json, kubeconfigs, {LabRegion.WebCaFileName}");
        if (region.ScenarioSteps.Count > 0)
        {
            text.AppendLine("Scenario steps (offsets from start):");
            foreach (var step in region.ScenarioSteps)
            {
                var duration = step.Duration is { } d ? $" for {Format(d)}" : "";
                text.AppendLine(CultureInfo.InvariantCulture, $"  +{Format(step.At)}{duration}: {step.Description}");
            }
        }

        text.AppendLine("Probe it:");
        text.AppendLine(CultureInfo.InvariantCulture, $"  dotnet run --project functions/Synthetics.Cli -- probe --config {files.Config} --once");
        text.Append("Running; press Ctrl-C to stop.");
        return text.ToString();
    }

    private static string Format(TimeSpan value) =>
        value.TotalHours >= 1
            ? value.ToString(@"h\:mm\:ss\.FFF", CultureInfo.InvariantCulture).TrimEnd('.')
            : value.ToString(@"mm\:ss\.FFF", CultureInfo.InvariantCulture).TrimEnd('.');

    private sealed record LabArguments(string Scenario, DirectoryInfo Out, string? Vantages, int? Seed, double? Onset, double? TimeScale);

    /// <summary>
    /// Serializes console writes from the scenario's timer threads and holds back steps that apply while the region is
    /// starting, so they print after the address block rather than in the middle of it.
    /// </summary>
    private sealed class StepConsole(TextWriter output)
    {
        private readonly Lock _gate = new();
        private readonly List<string> _pending = [];
        private bool _ready;

        public void StepApplied(LabScenarioEvent step)
        {
            var line = string.Create(
                CultureInfo.InvariantCulture, $"[{step.At:HH:mm:ss}] {step.Scenario} +{Format(step.Offset)}: {step.Description}");
            lock (_gate)
            {
                if (_ready)
                {
                    output.WriteLine(line);
                    output.Flush();
                }
                else
                {
                    _pending.Add(line);
                }
            }
        }

        public void Ready(string block)
        {
            lock (_gate)
            {
                output.WriteLine(block);
                foreach (var line in _pending)
                {
                    output.WriteLine(line);
                }

                _pending.Clear();
                _ready = true;
                output.Flush();
            }
        }

        public void Write(string line)
        {
            lock (_gate)
            {
                output.WriteLine(line);
                output.Flush();
            }
        }
    }
}
