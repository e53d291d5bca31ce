using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Synthetics.Alerts;
using Synthetics.Configuration;
using Synthetics.Detection;
using Synthetics.Probes;
using Synthetics.Scheduling;
using Synthetics.Storage;
using Synthetics.Targets;

namespace Synthetics.Cli.Commands;

/// <summary>
/// One vantage point's pipeline composed from a config file with the same <c>AddSynthetics</c> as the Function App:
/// used by <c>probe</c> (cycles only), <c>run</c> (probe, store, evaluate, alert) and <c>demo</c> (three of them in one
/// process). Services are resolved when first used, so <c>probe</c> never builds storage or the evaluator.
/// </summary>
internal sealed class PipelineSession : IAsyncDisposable
{
    // How long a stopping pipeline keeps trying to store what is pending; the rest stays in the outbox for the next run.
    private static readonly TimeSpan FinalFlushBudget = TimeSpan.FromSeconds(5);

    // Between flushes when no cycle has asked for one: how soon results kept during an outage are retried.
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(2);

    private readonly ServiceProvider _services;
    private readonly SyntheticsOptions _options;

    private PipelineSession(ServiceProvider services, SyntheticsOptions options, IReadOnlyList<Target> targets)
    {
        _services = services;
        _options = options;
        Targets = targets;
        Schedule = CronSchedule.TryParse(options.ProbeSchedule, out _)!;
        EvaluationSchedule = CronSchedule.TryParse(options.EvaluationSchedule, out _)!;
    }

    public string Vantage => _options.VantagePoint;

    public SyntheticsOptions Options => _options;

    public IReadOnlyList<Target> Targets { get; }

    public CronSchedule Schedule { get; }

    public CronSchedule EvaluationSchedule { get; }

    public ProbeCycleRunner Runner => _services.GetRequiredService<ProbeCycleRunner>();

    public ResultOutbox Outbox => _services.GetRequiredService<ResultOutbox>();

    public Evaluator Evaluator => _services.GetRequiredService<Evaluator>();

    public ITelemetryPublisher Telemetry => _services.GetRequiredService<ITelemetryPublisher>();

    public TimeProvider Time => _services.GetRequiredService<TimeProvider>();

    /// <summary>
    /// The commands' start: the session for the config file, or null after telling <paramref name="error"/> what is
    /// wrong with the configuration (the caller then exits with <see cref="CliApplication.BadUsage"/>).
    /// </summary>
    public static async Task<PipelineSession?> CreateOrReportAsync(string configPath, string? vantage, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            return Create(configPath, vantage);
        }
        catch (ConfigurationException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return null;
        }
    }

    /// <summary>
    /// Composes the pipeline of <paramref name="configPath"/>. <paramref name="vantage"/> (when given) and then
    /// <paramref name="overrides"/> (keys like <c>Synthetics:Detection:Window</c>) win over the file. Logs at
    /// <paramref name="consoleLogLevel"/> and above go to standard error. Throws <see cref="ConfigurationException"/>
    /// naming what is wrong.
    /// </summary>
    public static PipelineSession Create(
        string configPath,
        string? vantage,
        IEnumerable<KeyValuePair<string, string?>>? overrides = null,
        LogLevel consoleLogLevel = LogLevel.Warning)
    {
        var builder = new ConfigurationBuilder().AddConfiguration(SyntheticsConfiguration.LoadFile(configPath));
        if (!string.IsNullOrWhiteSpace(vantage))
        {
            builder.AddInMemoryCollection([new($"{SyntheticsOptions.SectionName}:{nameof(SyntheticsOptions.VantagePoint)}", vantage)]);
        }

        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        var configuration = builder.Build();
        var baseDirectory = Path.GetDirectoryName(configPath);
        var options = SyntheticsConfiguration.Bind(configuration, baseDirectory);
        var services = new ServiceCollection()
            .AddLogging(logging => logging
                .AddSimpleConsole(console => console.SingleLine = true)
                .AddFilter(level => level >= consoleLogLevel)
                .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace))
            .AddSynthetics(configuration, baseDirectory)
            .BuildServiceProvider();
        try
        {
            var targets = TargetCatalogBuilder.Build(options, services.GetServices<IProbe>());
            return new PipelineSession(services, options, targets);
        }
        catch
        {
            services.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Probes on <see cref="Schedule"/> and hands results to the outbox, stores them from a background loop (a slow or
    /// absent table service never delays a cycle), evaluates on <see cref="EvaluationSchedule"/>, until
    /// <paramref name="cancellationToken"/> fires; then stores what is pending within a short budget. A clean stop
    /// returns normally.
    /// </summary>
    public async Task RunAsync(IPipelineObserver observer, CancellationToken cancellationToken)
    {
        using var flushRequested = new SemaphoreSlim(0);
        var flusher = Task.Run(() => FlushLoopAsync(flushRequested, cancellationToken), CancellationToken.None);
        var evaluating = Task.Run(() => EvaluateLoopAsync(observer, cancellationToken), CancellationToken.None);
        try
        {
            DateTimeOffset? previous = null;
            while (!cancellationToken.IsCancellationRequested)
            {
                previous = await Schedule.WaitForNextAsync(Time, previous, cancellationToken);
                var report = await Runner.RunAsync(Targets, cancellationToken);
                // Kept even when the run is stopping: these were measured.
                await Outbox.EnqueueAsync(report);
                flushRequested.Release();
                Telemetry.PublishResults(report.Results);
                await observer.OnCycleAsync(report, Outbox.PendingBatches);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C between or during cycles: a clean stop.
        }

        await flusher;
        await evaluating;
        await Outbox.FlushAsync(FinalFlushBudget, CancellationToken.None);
        await Telemetry.FlushAsync(CancellationToken.None);
    }

    private async Task FlushLoopAsync(SemaphoreSlim requested, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await requested.WaitAsync(FlushInterval, cancellationToken);
                await Outbox.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the final flush takes over.
        }
    }

    /// <summary>Evaluates on schedule. A failing table service costs one evaluation, not the pipeline.</summary>
    private async Task EvaluateLoopAsync(IPipelineObserver observer, CancellationToken cancellationToken)
    {
        DateTimeOffset? previous = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                previous = await EvaluationSchedule.WaitForNextAsync(Time, previous, cancellationToken);
                EvaluationReport report;
                try
                {
                    report = await Evaluator.EvaluateAsync(cancellationToken);
                }
                catch (Azure.RequestFailedException ex)
                {
                    await observer.OnEvaluationFailedAsync(previous.Value, ex.Status);
                    continue;
                }

                await observer.OnEvaluationAsync(report);
                await Telemetry.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
