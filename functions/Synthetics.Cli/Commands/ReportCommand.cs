using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Synthetics.Cli.Hosting;
using Synthetics.Cli.Output;
using Synthetics.Explain;

namespace Synthetics.Cli.Commands;

/// <summary>
/// <c>report --config FILE --month YYYY-MM [--format html|md|json] [--out FILE]</c>: a month's availability per cluster
/// and NodeBalancer, per vantage and pooled, against the provider's SLA. Exit 0 with the report written, 2 for bad usage
/// or configuration (a month not yet started included), 1 when the store cannot be read.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var config = new Option<FileInfo>("--config") { Description = "JSON file with a \"Synthetics\" section (its storage and targets).", Required = true };
        var month = new Option<string>("--month") { Description = "The month, YYYY-MM (UTC).", Required = true };
        var format = new Option<string>("--format") { Description = "html (one self-contained file), md or json.", DefaultValueFactory = _ => "html" };
        format.AcceptOnlyFromAmong("html", "md", "json");
        var outFile = new Option<FileInfo?>("--out") { Description = "Write the report to this file (default: standard output)." };
        var command = new Command("report", "Write a month's availability per cluster and NodeBalancer against the provider's SLA.")
        {
            config, month, format, outFile,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!DateOnly.TryParseExact(parseResult.GetRequiredValue(month), "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
            {
                await error.WriteLineAsync("error: --month is YYYY-MM, e.g. 2026-03");
                return CliApplication.BadUsage;
            }

            // --format accepts only the three names, each of which parses.
            _ = EvidenceRenderer.TryParse(parseResult.GetRequiredValue(format), out var reportFormat);
            using var host = await PipelineHost.CreateOrReportAsync(parseResult.GetRequiredValue(config).FullName, vantage: null, error);
            if (host is null)
            {
                return CliApplication.BadUsage;
            }

            UptimeReport report;
            try
            {
                report = await host.Services.GetRequiredService<IUptimeSource>().BuildAsync(first, cancellationToken);
            }
            catch (EvidenceRequestException ex)
            {
                await error.WriteLineAsync($"error: {ex.Message}");
                return CliApplication.BadUsage;
            }

            await ReportOutput.WriteAsync(UptimeRenderer.Render(report, reportFormat), parseResult.GetValue(outFile), report.Title, output, cancellationToken);
            return CliApplication.Success;
        });
        return command;
    }
}
