using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Synthetics.Configuration;
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
            var flusher = Task.Run(() => FlushLoopAsync(session.Outbox, flushRequested, cancellationToken), CancellationToken.None);
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

                    // Seam for detection: the evaluator reads IResultStore.ReadWindowAsync(now - Detection:Window, now)
                    // on Synthetics:EvaluationSchedule and prints {"type":"incident",...} lines; it is not part of this command yet.
                    await WriteCycleAsync(output, json, session.Vantage, report, session.Outbox.PendingBatches, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C between or during cycles: a clean stop.
            }

            await flusher;
            await session.Outbox.FlushAsync(FinalFlushBudget, CancellationToken.None);
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

    private static async Task WriteCycleAsync(
        TextWriter output, bool json, string vantage, ProbeCycleReport report, int pendingBatches, CancellationToken cancellationToken)
    {
        var startedAt = report.StartedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var line = json
            ? JsonSerializer.Serialize(new CycleLine("cycle", startedAt, vantage, report.Results.Count, report.Failed,
                Math.Round(report.Duration.TotalMilliseconds, 1), pendingBatches), ProbeResultJson.Options)
            : string.Create(CultureInfo.InvariantCulture,
                $"cycle {startedAt} at {vantage}: {report.Results.Count} results, {report.Failed} failed, {report.Duration.TotalMilliseconds:0} ms; outbox {pendingBatches} batches pending");
        await output.WriteLineAsync(line);
        await output.FlushAsync(cancellationToken);
    }

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
        }

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
