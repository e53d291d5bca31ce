using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Synthetics.Cli.Output;
using Synthetics.Configuration;
using Synthetics.Probes;
using Synthetics.Scheduling;
using Synthetics.Targets;

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
        ProbeSession session;
        try
        {
            session = ProbeSession.Create(configFile.FullName, vantage);
        }
        catch (ConfigurationException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
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

    /// <summary>The composed services for one <c>probe</c> invocation.</summary>
    private sealed class ProbeSession : IAsyncDisposable
    {
        private readonly ServiceProvider _services;

        private ProbeSession(ServiceProvider services, IReadOnlyList<Target> targets, CronSchedule schedule)
        {
            _services = services;
            Targets = targets;
            Schedule = schedule;
            Runner = services.GetRequiredService<ProbeCycleRunner>();
        }

        public IReadOnlyList<Target> Targets { get; }

        public CronSchedule Schedule { get; }

        public ProbeCycleRunner Runner { get; }

        public static ProbeSession Create(string configPath, string? vantage)
        {
            var fileConfiguration = SyntheticsConfiguration.LoadFile(configPath);
            var builder = new ConfigurationBuilder().AddConfiguration(fileConfiguration);
            if (!string.IsNullOrWhiteSpace(vantage))
            {
                builder.AddInMemoryCollection([new($"{SyntheticsOptions.SectionName}:{nameof(SyntheticsOptions.VantagePoint)}", vantage)]);
            }

            var configuration = builder.Build();
            var options = SyntheticsConfiguration.Bind(configuration, Path.GetDirectoryName(configPath));
            var services = new ServiceCollection()
                .AddLogging(logging => logging
                    .AddSimpleConsole(console => console.SingleLine = true)
                    .AddFilter(level => level >= LogLevel.Warning)
                    .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace))
                .AddSynthetics(configuration, Path.GetDirectoryName(configPath))
                .BuildServiceProvider();
            try
            {
                var targets = TargetCatalogBuilder.Build(options, services.GetServices<IProbe>());
                var schedule = CronSchedule.TryParse(options.ProbeSchedule, out _)!;
                return new ProbeSession(services, targets, schedule);
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
