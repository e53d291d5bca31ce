using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;
using Synthetics.Targets;

namespace Synthetics.Cli.Hosting;

/// <summary>
/// A config file composed into a generic host with the same <c>AddSynthetics</c> as the Function App: the start of
/// every command that probes (<c>probe</c>, <c>run</c>, <c>demo</c>'s vantages, the scenario tests). The host runs
/// nothing by itself; <c>run</c> and <c>demo</c> add the pipeline's scheduler and an observer.
/// </summary>
internal static class PipelineHost
{
    private static readonly string UnresolvedTargetLogCategory = typeof(TargetCatalogFactory).FullName!;

    /// <summary>
    /// The commands' start: the host for the config file, or null after telling <paramref name="error"/> in one line
    /// what is wrong with the configuration (the caller then exits with <see cref="CliApplication.BadUsage"/>).
    /// </summary>
    public static async Task<IHost?> CreateOrReportAsync(
        string configPath, string? vantage, TextWriter error, Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        IHost host;
        try
        {
            host = Create(configPath, vantage, configureServices: configureServices);
        }
        catch (ConfigurationException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return null;
        }

        // A target whose kubeconfig or CA bundle cannot be had stops nothing: one line each, and every cycle reports it.
        foreach (var unresolved in host.Services.GetRequiredService<TargetCatalog>().Unresolved)
        {
            await error.WriteLineAsync($"warning: {unresolved.Warning}");
        }

        return host;
    }

    /// <summary>
    /// Composes the pipeline of <paramref name="configPath"/>. <paramref name="vantage"/> (when given) and then
    /// <paramref name="overrides"/> (keys like <c>Synthetics:Storage:ConnectionString</c>) win over the file. Logs at
    /// <paramref name="consoleLogLevel"/> and above go to standard error. Binds and validates at once, so a bad
    /// configuration throws <see cref="ConfigurationException"/> naming the field before anything runs.
    /// </summary>
    public static IHost Create(
        string configPath,
        string? vantage,
        IEnumerable<KeyValuePair<string, string?>>? overrides = null,
        Action<IServiceCollection>? configureServices = null,
        LogLevel consoleLogLevel = LogLevel.Warning)
    {
        var configuration = new ConfigurationManager();
        configuration.AddConfiguration(SyntheticsConfiguration.LoadFile(configPath));
        if (!string.IsNullOrWhiteSpace(vantage))
        {
            configuration.AddInMemoryCollection([new($"{SyntheticsOptions.SectionName}:{nameof(SyntheticsOptions.VantagePoint)}", vantage)]);
        }

        if (overrides is not null)
        {
            configuration.AddInMemoryCollection(overrides);
        }

        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(configPath));
        // No defaults: the CLI's configuration is the file and the overrides, not appsettings.json or the environment.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            Configuration = configuration,
            ContentRootPath = baseDirectory,
        });
        builder.Logging.ClearProviders()
            .AddSimpleConsole(console => console.SingleLine = true)
            .AddFilter(level => level >= consoleLogLevel)
            // The commands say which targets are not probed themselves, as "warning: …" beside their "error: …".
            .AddFilter(UnresolvedTargetLogCategory, LogLevel.None)
            .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.AddSynthetics(configuration, baseDirectory);
        configureServices?.Invoke(builder.Services);
        var host = builder.Build();
        try
        {
            // What the host would validate at start, now: the one-line error comes before any probe, store or table.
            _ = host.Services.GetRequiredService<IOptions<SyntheticsOptions>>().Value;
            _ = host.Services.GetRequiredService<TargetCatalog>();
            return host;
        }
        catch (OptionsValidationException ex)
        {
            host.Dispose();
            throw new ConfigurationException([.. ex.Failures]);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="host"/> until <paramref name="cancellationToken"/> fires, then stops it (the cycles in progress
    /// store what they measured). A clean stop returns normally.
    /// </summary>
    public static async Task RunUntilCancelledAsync(IHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        try
        {
            await host.StartAsync(cancellationToken);
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C or the caller's stop: a clean stop.
        }

        await host.StopAsync(CancellationToken.None);
    }
}
