using System.CommandLine;
using Synthetics.Cli.Output;

namespace Synthetics.Cli.Commands;

/// <summary><c>probe --config FILE [--vantage NAME] [--once] [--format json|table]</c>.</summary>
internal static class ProbeCommand
{
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
        if (await PipelineSession.CreateOrReportAsync(configFile.FullName, vantage, error) is not { } session)
        {
            return CliApplication.BadUsage;
        }

        await using (session)
        {
            IResultWriter writer = format == "json" ? new JsonLinesResultWriter(output) : new TableResultWriter(output);
            try
            {
                if (once)
                {
                    var report = await session.Runner.RunAsync(session.Targets, cancellationToken);
                    await writer.WriteAsync(report, cancellationToken);
                    return CliApplication.Success;
                }

                DateTimeOffset? previous = null;
                while (!cancellationToken.IsCancellationRequested)
                {
                    previous = await session.Schedule.WaitForNextAsync(TimeProvider.System, previous, cancellationToken);
                    var report = await session.Runner.RunAsync(session.Targets, cancellationToken);
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
}
