using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Synthetics.Alerts;
using Synthetics.Cli.Output;
using Synthetics.Detection;
using Synthetics.Probes;
using Synthetics.Results;

namespace Synthetics.Cli.Commands;

/// <summary>
/// <c>run --config FILE [--vantage NAME] [--format text|json]</c>: the local pipeline on the schedule in FILE.
/// Each tick probes and hands the results to the outbox; a background loop stores them, so a slow or absent
/// table service never delays a cycle. One summary line per cycle (JSON lines carry <c>"type":"cycle"</c>).
/// </summary>
internal static class RunCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var config = new Option<FileInfo>("--config") { Description = "JSON file with a \"Synthetics\" section (targets, schedule, storage).", Required = true };
        var vantage = new Option<string?>("--vantage") { Description = "Name of this vantage point; overrides Synthetics:VantagePoint." };
        var format = new Option<string>("--format") { Description = "text: one line per cycle; json: JSON lines with a \"type\" field.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");

        var command = new Command("run", "Run the pipeline locally on the schedule: probe and store (evaluate and alert come with detection).")
        {
            config, vantage, format,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetRequiredValue(config),
            parseResult.GetValue(vantage),
            parseResult.GetRequiredValue(format) == "json",
            output,
            error,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        FileInfo configFile, string? vantage, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (await PipelineSession.CreateOrReportAsync(configFile.FullName, vantage, error) is not { } session)
        {
            return CliApplication.BadUsage;
        }

        await using (session)
        {
            using var console = new RunConsole(output, error, json);
            await session.RunAsync(new RunPrinter(session.Vantage, console), cancellationToken);
            return CliApplication.Success;
        }
    }

    /// <summary>
    /// Prints what the pipeline does: one line per cycle, and per evaluation what it does to incidents (contract lines
    /// with <c>--format json</c>, the notice on-call would read otherwise).
    /// </summary>
    private sealed class RunPrinter(string vantage, RunConsole console) : IPipelineObserver
    {
        public Task OnCycleAsync(ProbeCycleReport report, int pendingBatches) =>
            console.WriteAsync(FormatCycle(console.Json, vantage, report, pendingBatches));

        public async Task OnEvaluationAsync(EvaluationReport report)
        {
            foreach (var incidentEvent in report.Events)
            {
                await console.WriteAsync(console.Json
                    ? IncidentEventJson.Serialize(incidentEvent)
                    : $"{IncidentNotice.Subject(incidentEvent)}{Environment.NewLine}{Indent(IncidentNotice.Body(incidentEvent))}");
            }

            await console.WriteAsync(FormatEvaluation(console.Json, report));
        }

        public Task OnEvaluationFailedAsync(DateTimeOffset at, int status) =>
            console.WarnAsync($"evaluation at {Format(at)} failed: the table service answered {status}; the next one will try again");
    }

    private static string FormatCycle(bool json, string vantage, ProbeCycleReport report, int pendingBatches)
    {
        var startedAt = report.StartedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return json
            ? JsonSerializer.Serialize(new CycleLine("cycle", startedAt, vantage, report.Results.Count, report.Failed,
                Math.Round(report.Duration.TotalMilliseconds, 1), pendingBatches), ProbeResultJson.Options)
            : string.Create(CultureInfo.InvariantCulture,
                $"cycle {startedAt} at {vantage}: {report.Results.Count} results, {report.Failed} failed, {report.Duration.TotalMilliseconds:0} ms; outbox {pendingBatches} batches pending");
    }

    private static string FormatEvaluation(bool json, EvaluationReport report) => json
        ? JsonSerializer.Serialize(new EvaluationLineJson(
            "evaluation", Format(report.EvaluatedAt), report.Skipped, report.ResultsRead,
            [.. report.Findings.Select(f => $"{f.Key} {f.State.ToString().ToLowerInvariant()}")]), ProbeResultJson.Options)
        : report.Skipped
            ? $"evaluation {Format(report.EvaluatedAt)}: done by another evaluator"
            : $"evaluation {Format(report.EvaluatedAt)}: {report.ResultsRead} results, " +
              (report.Findings.Count == 0 ? "all healthy" : string.Join("; ", report.Findings.Select(f => f.Summary)));

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal static string Indent(string text) => string.Join(Environment.NewLine, text.Split(Environment.NewLine).Select(l => $"    {l}"));

    private sealed record EvaluationLineJson(string Type, string At, bool Skipped, int Results, IReadOnlyList<string> Findings);

    private sealed record CycleLine(string Type, string StartedAt, string Vantage, int Results, int Failed, double DurationMs, int PendingBatches);
}
