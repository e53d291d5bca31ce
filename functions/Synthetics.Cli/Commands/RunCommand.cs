using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Synthetics.Alerts;
using Synthetics.Cli.Output;
using Synthetics.Configuration;
using Synthetics.Detection;
using Synthetics.Probes;
using Synthetics.Results;
using Synthetics.Scheduling;
using Synthetics.Storage;
using Synthetics.Targets;

namespace Synthetics.Cli.Commands;

/// <summary>
/// <c>run --config FILE [--vantage NAME] [--format text|json]</c>: the local pipeline on the schedule in FILE.
/// Each tick probes and hands the results to the outbox; a background loop stores them, so a slow or absent
/// table service never delays a cycle. One summary line per cycle (JSON lines carry <c>"type":"cycle"</c>).
/// </summary>
internal static class RunCommand
{
    // How long a stopping `run` keeps trying to store what is pending; the rest stays in the outbox for the next run.
    private static readonly TimeSpan FinalFlushBudget = TimeSpan.FromSeconds(5);

    // Between flushes when no cycle has asked for one: how soon results kept during an outage are retried.
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(2);

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
        RunSession session;
        try
        {
            session = RunSession.Create(configFile.FullName, vantage);
        }
        catch (ConfigurationException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return CliApplication.BadUsage;
        }

        await using (session)
        {
            using var flushRequested = new SemaphoreSlim(0);
            using var console = new RunConsole(output, error, json);
            var flusher = Task.Run(() => FlushLoopAsync(session.Outbox, flushRequested, cancellationToken), CancellationToken.None);
            var evaluating = Task.Run(() => EvaluateLoopAsync(session, console, cancellationToken), CancellationToken.None);
            try
            {
                DateTimeOffset? previous = null;
                while (!cancellationToken.IsCancellationRequested)
                {
                    previous = await session.Schedule.WaitForNextAsync(session.Time, previous, cancellationToken);
                    var report = await session.Runner.RunAsync(session.Targets, cancellationToken);
                    // Kept even when the run is stopping: these were measured.
                    await session.Outbox.EnqueueAsync(report.Results);
                    flushRequested.Release();
                    session.Telemetry.PublishResults(report.Results);
                    await console.WriteAsync(FormatCycle(json, session.Vantage, report, session.Outbox.PendingBatches));
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C between or during cycles: a clean stop.
            }

            await flusher;
            await evaluating;
            await session.Outbox.FlushAsync(FinalFlushBudget, CancellationToken.None);
            await session.Telemetry.FlushAsync(CancellationToken.None);
            return CliApplication.Success;
        }
    }

    private static async Task FlushLoopAsync(ResultOutbox outbox, SemaphoreSlim requested, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await requested.WaitAsync(FlushInterval, cancellationToken);
                await outbox.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the command's final flush takes over.
        }
    }

    /// <summary>
    /// Evaluates on <c>EvaluationSchedule</c> and prints what it does to incidents: contract lines with <c>--format json</c>,
    /// the notice on-call would read otherwise. A failing table service costs one evaluation, not the command.
    /// </summary>
    private static async Task EvaluateLoopAsync(RunSession session, RunConsole console, CancellationToken cancellationToken)
    {
        DateTimeOffset? previous = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                previous = await session.EvaluationSchedule.WaitForNextAsync(session.Time, previous, cancellationToken);
                EvaluationReport report;
                try
                {
                    report = await session.Evaluator.EvaluateAsync(cancellationToken);
                }
                catch (Azure.RequestFailedException ex)
                {
                    await console.WarnAsync($"evaluation at {Format(previous.Value)} failed: the table service answered {ex.Status}; the next one will try again");
                    continue;
                }

                foreach (var incidentEvent in report.Events)
                {
                    await console.WriteAsync(console.Json
                        ? IncidentEventJson.Serialize(incidentEvent)
                        : $"{IncidentNotice.Subject(incidentEvent)}{Environment.NewLine}{Indent(IncidentNotice.Body(incidentEvent))}");
                }

                await console.WriteAsync(FormatEvaluation(console.Json, report));
                await session.Telemetry.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
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

    private static string Indent(string text) => string.Join(Environment.NewLine, text.Split(Environment.NewLine).Select(l => $"    {l}"));

    private sealed record EvaluationLineJson(string Type, string At, bool Skipped, int Results, IReadOnlyList<string> Findings);

    private sealed record CycleLine(string Type, string StartedAt, string Vantage, int Results, int Failed, double DurationMs, int PendingBatches);

    /// <summary>The composed services for one <c>run</c> invocation: the same <c>AddSynthetics</c> as the Function App.</summary>
    private sealed class RunSession : IAsyncDisposable
    {
        private readonly ServiceProvider _services;

        private RunSession(ServiceProvider services, SyntheticsOptions options, IReadOnlyList<Target> targets, CronSchedule schedule)
        {
            _services = services;
            Vantage = options.VantagePoint;
            Targets = targets;
            Schedule = schedule;
            Runner = services.GetRequiredService<ProbeCycleRunner>();
            Outbox = services.GetRequiredService<ResultOutbox>();
            Time = services.GetRequiredService<TimeProvider>();
            Evaluator = services.GetRequiredService<Evaluator>();
            Telemetry = services.GetRequiredService<ITelemetryPublisher>();
            EvaluationSchedule = CronSchedule.TryParse(options.EvaluationSchedule, out _)!;
        }

        public Evaluator Evaluator { get; }

        public ITelemetryPublisher Telemetry { get; }

        public CronSchedule EvaluationSchedule { get; }

        public string Vantage { get; }

        public IReadOnlyList<Target> Targets { get; }

        public CronSchedule Schedule { get; }

        public ProbeCycleRunner Runner { get; }

        public ResultOutbox Outbox { get; }

        public TimeProvider Time { get; }

        public static RunSession Create(string configPath, string? vantage)
        {
            var builder = new ConfigurationBuilder().AddConfiguration(SyntheticsConfiguration.LoadFile(configPath));
            if (!string.IsNullOrWhiteSpace(vantage))
            {
                builder.AddInMemoryCollection([new($"{SyntheticsOptions.SectionName}:{nameof(SyntheticsOptions.VantagePoint)}", vantage)]);
            }

            var configuration = builder.Build();
            var baseDirectory = Path.GetDirectoryName(configPath);
            var options = SyntheticsConfiguration.Bind(configuration, baseDirectory);
            var services = new ServiceCollection()
                .AddLogging(logging => logging
                    .AddSimpleConsole(console => console.SingleLine = true)
                    .AddFilter(level => level >= LogLevel.Warning)
                    .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace))
                .AddSynthetics(configuration, baseDirectory)
                .BuildServiceProvider();
            try
            {
                var targets = TargetCatalogBuilder.Build(options, services.GetServices<IProbe>());
                var schedule = CronSchedule.TryParse(options.ProbeSchedule, out _)!;
                return new RunSession(services, options, targets, schedule);
            }
            catch
            {
                services.Dispose();
                throw;
            }
        }

        public ValueTask DisposeAsync() => _services.DisposeAsync();
    }
}
