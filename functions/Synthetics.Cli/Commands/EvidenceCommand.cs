using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Synthetics.Cli.Hosting;
using Synthetics.Cli.Output;
using Synthetics.Explain;

namespace Synthetics.Cli.Commands;

/// <summary>
/// <c>evidence --config FILE (--incident ID | --region R | --target NAME) [--from T --to T] [--format html|md|json]
/// [--out FILE]</c>: the report for the provider's support, from the store the config names (the same
/// <see cref="IEvidenceSource"/> the Function App's HTTP function serves). Exit 0 with the report written, 2 for bad
/// usage, a bad configuration or an incident or target the store does not know, 1 when the store cannot be read.
/// </summary>
internal static class EvidenceCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var config = new Option<FileInfo>("--config") { Description = "JSON file with a \"Synthetics\" section (its storage and targets).", Required = true };
        var incident = new Option<string?>("--incident") { Description = "An incident id as the notice prints it, e.g. provider:ca-central@20260312T140200Z." };
        var region = new Option<string?>("--region") { Description = "A Linode region: every target of it over --from..--to." };
        var target = new Option<string?>("--target") { Description = "A target's name: that target over --from..--to." };
        var from = new Option<string?>("--from") { Description = "Start (ISO 8601, UTC unless an offset is given). Default: 30 min before the incident, or 1 h before --to." };
        var to = new Option<string?>("--to") { Description = "End (ISO 8601). Default: 15 min after the incident resolved, or now." };
        var format = new Option<string>("--format") { Description = "html (one self-contained file), md (a support ticket's description), json (everything).", DefaultValueFactory = _ => "html" };
        format.AcceptOnlyFromAmong("html", "md", "json");
        var outFile = new Option<FileInfo?>("--out") { Description = "Write the report to this file (default: standard output)." };

        var command = new Command("evidence", "Write the evidence report of an incident, a region or a target, for the provider's support.")
        {
            config, incident, region, target, from, to, format, outFile,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var subjects = new[] { parseResult.GetValue(incident), parseResult.GetValue(region), parseResult.GetValue(target) };
            if (subjects.Count(s => !string.IsNullOrWhiteSpace(s)) != 1)
            {
                await error.WriteLineAsync("error: name exactly one of --incident, --region or --target");
                return CliApplication.BadUsage;
            }

            if (!EvidenceRequest.TryParseTime(parseResult.GetValue(from), out var since) || !EvidenceRequest.TryParseTime(parseResult.GetValue(to), out var until))
            {
                await error.WriteLineAsync("error: --from and --to are ISO 8601 times, e.g. 2026-03-12T14:00:00Z");
                return CliApplication.BadUsage;
            }

            // --format accepts only the three names, each of which parses.
            _ = EvidenceRenderer.TryParse(parseResult.GetRequiredValue(format), out var evidenceFormat);
            var request = new EvidenceRequest { IncidentId = subjects[0], Region = subjects[1], Target = subjects[2], From = since, To = until };
            return await RunAsync(parseResult.GetRequiredValue(config), request, evidenceFormat, parseResult.GetValue(outFile), output, error, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(
        FileInfo configFile, EvidenceRequest request, EvidenceFormat format, FileInfo? outFile, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var host = await PipelineHost.CreateOrReportAsync(configFile.FullName, vantage: null, error);
        if (host is null)
        {
            return CliApplication.BadUsage;
        }

        EvidenceReport report;
        try
        {
            report = await host.Services.GetRequiredService<IEvidenceSource>().BuildAsync(request, cancellationToken);
        }
        catch (EvidenceRequestException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return CliApplication.BadUsage;
        }

        await ReportOutput.WriteAsync(
            EvidenceRenderer.Render(report, format),
            outFile,
            string.Create(CultureInfo.InvariantCulture,
                $"{report.Title}; {report.FailedAttempts.Count} failed attempts of {report.Attempts} runs from {report.Vantages.Count} vantage points"),
            output,
            cancellationToken);
        return CliApplication.Success;
    }
}
