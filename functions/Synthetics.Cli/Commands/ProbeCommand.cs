using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Synthetics.Cli.Hosting;
using Synthetics.Cli.Output;
using Synthetics.Configuration;
using Synthetics.Probes;
using Synthetics.Scheduling;
using Synthetics.Targets;

namespace Synthetics.Cli.Commands;

/// <summary>
/// <c>probe --config FILE [--vantage NAME] [--once] [--format json|table]</c>: measures and prints, stores nothing (the
/// pipeline's probing step alone, the same <see cref="ProbeCycleRunner"/> and catalog as <c>run</c>).
/// </summary>
internal static class ProbeCommand
{
    /// <summary>Samples per series in a <c>--once</c> run: enough to see a share of failing connections, not the cycle's period.</summary>
    internal const int OnceSamples = 5;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var config = new Option<FileInfo>("--config") { Description = "JSON file with a \"Synthetics\" section (targets, schedule).", Required = true };
        var vantage = new Option<string?>("--vantage") { Description = "Name of this vantage point; overrides Synthetics:VantagePoint." };
        var once = new Option<bool>("--once") { Description = "Run one cycle, then exit." };
        var format = new Option<string>("--format") { Description = "json: one result per line; table: for people.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("json", "table");

        var command = new Command("probe", "Run probe cycles for the targets in the config file and print the results.")
        {
            config, vantage, once, format,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetRequiredValue(config),
            parseResult.GetValue(vantage),
            parseResult.GetValue(once),
            parseResult.GetRequiredValue(format),
            output,
            error,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        FileInfo configFile, string? vantage, bool once, string format, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var host = await PipelineHost.CreateOrReportAsync(configFile.FullName, vantage, error);
        if (host is null)
        {
            return CliApplication.BadUsage;
        }

        var runner = host.Services.GetRequiredService<ProbeCycleRunner>();
        // The catalog run probes: the settings' targets and, with Linode:Token, the discovered ones from the table (the
        // last catalog read when the table is slow or unreachable).
        var catalog = host.Services.GetRequiredService<ITargetCatalogSource>();
        var options = host.Services.GetRequiredService<IOptions<SyntheticsOptions>>().Value;
        var time = host.Services.GetRequiredService<TimeProvider>();
        IResultWriter writer = format == "json" ? new JsonLinesResultWriter(output) : new TableResultWriter(output);
        try
        {
            if (once)
            {
                // One cycle printed now: the sampler samples a few seconds, not the scheduled cycle's period.
                var sampling = options.Probing.Sampling;
                sampling.PeriodSeconds = Math.Min(sampling.PeriodSeconds, OnceSamples * sampling.IntervalSeconds);
                var report = await runner.RunAsync(await catalog.GetAsync(cancellationToken), cancellationToken);
                await writer.WriteAsync(report, cancellationToken);
                return CliApplication.Success;
            }

            var schedule = CronSchedule.Parse("Synthetics:ProbeSchedule", options.ProbeSchedule, options.TimeScale);
            DateTimeOffset? previous = null;
            while (!cancellationToken.IsCancellationRequested)
            {
                previous = await schedule.WaitForNextAsync(time, previous, cancellationToken);
                var report = await runner.RunAsync(await catalog.GetAsync(cancellationToken), cancellationToken);
                await writer.WriteAsync(report, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C between or during cycles: a clean stop.
        }

        return CliApplication.Success;
    }
}
