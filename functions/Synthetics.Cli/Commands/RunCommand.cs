using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Synthetics.Alerts;
using Synthetics.Cli.Hosting;
using Synthetics.Cli.Output;
using Synthetics.Configuration;
using Synthetics.Detection;
using Synthetics.Pipeline;
using Synthetics.Probes;
using Synthetics.Results;

namespace Synthetics.Cli.Commands;

/// <summary>
/// <c>run --config FILE [--vantage NAME] [--format text|json]</c>: the Function App's pipeline (probe and store,
/// evaluate, retention, discovery with a Linode token: the same <see cref="IPipelineCycle"/> services) on the schedules in
/// FILE, in a generic host. One summary line per cycle (JSON lines carry <c>"type":"cycle"</c>), per evaluation, per
/// discovery, and per incident event.
/// </summary>
internal static class RunCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var config = new Option<FileInfo>("--config") { Description = "JSON file with a \"Synthetics\" section (targets, schedule, storage).", Required = true };
        var vantage = new Option<string?>("--vantage") { Description = "Name of this vantage point; overrides Synthetics:VantagePoint." };
        var format = new Option<string>("--format") { Description = "text: one line per cycle; json: JSON lines with a \"type\" field.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");

        var command = new Command("run", "Run the pipeline locally on the schedules: probe and store, evaluate and alert, retention.")
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
        using var console = new RunConsole(output, error, json);
        using var host = await PipelineHost.CreateOrReportAsync(configFile.FullName, vantage, error, services => services
            .AddPipelineScheduler()
            .AddSingleton<RunPrinter>(provider => new RunPrinter(
                provider.GetRequiredService<IOptions<SyntheticsOptions>>().Value.VantagePoint, console))
            .AddSingleton<IPipelineObserver>(provider => provider.GetRequiredService<RunPrinter>()));
        if (host is null)
        {
            return CliApplication.BadUsage;
        }

        // With discovery on and nothing discovered yet (a first run), the estate is read now, not at the next hourly
        // tick: the first probe cycle already probes it.
        if (await host.Services.GetRequiredService<DiscoveryCycle>().RunIfCatalogEmptyAsync(cancellationToken) is { } first)
        {
            await host.Services.GetRequiredService<RunPrinter>().OnDiscoveryAsync(first, cancellationToken);
        }

        await PipelineHost.RunUntilCancelledAsync(host, cancellationToken);
        return CliApplication.Success;
    }

    /// <summary>
    /// Prints what the pipeline does: one line per cycle, and per evaluation what it does to incidents (contract lines
    /// with <c>--format json</c>, the notice on-call would read otherwise).
    /// </summary>
    private sealed class RunPrinter(string vantage, RunConsole console) : IPipelineObserver
    {
        public async Task OnProbeCycleAsync(ProbeCycleRun run, CancellationToken cancellationToken)
        {
            // Opened while the cycle ran (its look at the samples so far): told before the cycle's own line.
            await WriteAsync(run.OpenedInCycle);
            await console.WriteAsync(FormatCycle(console.Json, vantage, run.Cycle, run.Flush.Pending));
        }

        public async Task OnEvaluationAsync(EvaluationRun run, CancellationToken cancellationToken)
        {
            if (run.Report is not { } report)
            {
                await console.WarnAsync($"evaluation at {Format(run.At)} failed: the table service answered {run.FailedStatus}; the next one will try again");
                return;
            }

            await WriteAsync(report.Events);
            await console.WriteAsync(FormatEvaluation(console.Json, report));
        }

        private async Task WriteAsync(IReadOnlyList<IncidentEvent> events)
        {
            foreach (var incidentEvent in events)
            {
                await console.WriteAsync(console.Json
                    ? IncidentEventJson.Serialize(incidentEvent)
                    : $"{IncidentNotice.Subject(incidentEvent)}{Environment.NewLine}{Indent(IncidentNotice.Body(incidentEvent))}");
            }
        }

        public Task OnRetentionAsync(RetentionRun run, CancellationToken cancellationToken) => run.Report is null
            ? console.WarnAsync($"retention at {Format(run.At)} failed: the table service answered {run.FailedStatus}; the next run continues")
            : Task.CompletedTask;

        public async Task OnMaintenanceAsync(MaintenanceRun run, CancellationToken cancellationToken)
        {
            if (run.FailedStatus is { } status)
            {
                await console.WarnAsync($"maintenance watcher at {Format(run.At)} failed: the table service answered {status}; the next tick tries again");
                return;
            }

            foreach (var warning in run.Sent)
            {
                await console.WriteAsync(console.Json
                    ? JsonSerializer.Serialize(new MaintenanceLine(
                        "maintenance", Format(run.At), vantage, warning.Stage, warning.Maintenance.Id, warning.Maintenance.Name,
                        warning.Regions, warning.Targets), ProbeResultJson.Options)
                    : warning.Summary);
            }
        }

        public Task OnDiscoveryAsync(DiscoveryRun run, CancellationToken cancellationToken)
        {
            if (run.Skipped || run.Disabled)
            {
                return Task.CompletedTask;
            }

            if (run.Failure is { } failure)
            {
                return console.WarnAsync($"discovery at {Format(run.At)} failed, the target catalog is kept as it was: {failure}");
            }

            var result = run.Result!;
            var change = run.Change!;
            return console.WriteAsync(console.Json
                ? JsonSerializer.Serialize(new DiscoveryLine(
                    "discovery", Format(run.At), vantage, result.Clusters, result.NodeBalancers, result.Targets.Count,
                    change.Added, change.Missing, change.Retired), ProbeResultJson.Options)
                : string.Create(CultureInfo.InvariantCulture,
                    $"discovery {Format(run.At)} at {vantage}: {result.Clusters} LKE clusters, {result.NodeBalancers} NodeBalancers, {result.Targets.Count} targets") +
                  (change.Added.Count > 0 ? $"; new: {string.Join(", ", change.Added)}" : "") +
                  (change.Missing.Count > 0 ? $"; missing: {string.Join(", ", change.Missing)}" : "") +
                  (change.Retired.Count > 0 ? $"; retired: {string.Join(", ", change.Retired)}" : ""));
        }
    }

    private sealed record MaintenanceLine(
        string Type, string At, string Vantage, string Stage, string MaintenanceId, string Name, IReadOnlyList<string> Regions, IReadOnlyList<string> Targets);

    private sealed record DiscoveryLine(
        string Type, string At, string Vantage, int Clusters, int NodeBalancers, int Targets,
        IReadOnlyList<string> Added, IReadOnlyList<string> Missing, IReadOnlyList<string> Retired);

    private static string FormatCycle(bool json, string vantage, ProbeCycleReport report, int pendingBatches)
    {
        var startedAt = report.StartedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return json
            ? JsonSerializer.Serialize(new CycleLine("cycle", startedAt, vantage, report.Results.Count, report.Failed,
                Math.Round(report.Duration.TotalMilliseconds, 1), pendingBatches)
            {
                StalledMs = report.Stalled ? Math.Round(report.LongestStall.TotalMilliseconds, 1) : null,
            }, ProbeResultJson.Options)
            : string.Create(CultureInfo.InvariantCulture,
                $"cycle {startedAt} at {vantage}: {report.Results.Count} results, {report.Failed} failed, {report.Duration.TotalMilliseconds:0} ms; outbox {pendingBatches} batches pending") +
              (report.Stalled ? string.Create(CultureInfo.InvariantCulture, $"; this process stalled {report.LongestStall.TotalMilliseconds:0} ms, so the cycle is not judged") : "");
    }

    private static string FormatEvaluation(bool json, EvaluationReport report) => json
        ? JsonSerializer.Serialize(new EvaluationLineJson(
            "evaluation", Format(report.EvaluatedAt), report.Skipped, report.ResultsRead,
            [.. report.Findings.Select(f => $"{f.Key} {f.State.ToString().ToLowerInvariant()}")],
            report.CyclesJudged, report.SilentVantages), ProbeResultJson.Options)
        : report.Skipped
            ? $"evaluation {Format(report.EvaluatedAt)}: nothing new to judge (another evaluator judged the stored cycles, or none was stored)"
            : $"evaluation {Format(report.EvaluatedAt)}: {report.CyclesJudged} new cycles, {report.ResultsRead} results in the window, " +
              (report.Findings.Count == 0 ? "all healthy" : string.Join("; ", report.Findings.Select(f => f.Summary)));

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal static string Indent(string text) => string.Join(Environment.NewLine, text.Split(Environment.NewLine).Select(l => $"    {l}"));

    private sealed record EvaluationLineJson(
        string Type, string At, bool Skipped, int Results, IReadOnlyList<string> Findings, int Cycles, IReadOnlyList<string> Silent);

    private sealed record CycleLine(string Type, string StartedAt, string Vantage, int Results, int Failed, double DurationMs, int PendingBatches)
    {
        /// <summary>How long the process stalled, when it stalled beyond the threshold (the cycle is not judged); else absent.</summary>
        public double? StalledMs { get; init; }
    }
}
