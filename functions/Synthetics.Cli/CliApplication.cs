using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Synthetics.Cli.Commands;
using Synthetics.Configuration;

namespace Synthetics.Cli;

/// <summary>
/// The command line (contract: DESIGN §5). Exit codes: 0 the command ran, 2 bad usage or configuration
/// (with a message naming what is wrong), 1 an unexpected failure. Whatever goes wrong, the user reads one line (a
/// configuration with several problems: one line each) starting with <c>error:</c>; a stack trace goes to the debug log
/// only (standard error when <c>SYNTHETICS_LOG_LEVEL=Debug</c>).
/// </summary>
public static partial class CliApplication
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadUsage = 2;

    /// <summary>Environment variable with the level of the CLI's own log (default <c>Warning</c>); <c>Debug</c> shows stack traces.</summary>
    public const string LogLevelVariable = "SYNTHETICS_LOG_LEVEL";

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("LKE Synthetics: synthetic monitoring of LKE control planes and NodeBalancers.")
        {
            ProbeCommand.Create(output, error),
            LabCommand.Create(output, error),
            RunCommand.Create(output, error),
            DemoCommand.Create(output, error),
            EvidenceCommand.Create(output, error),
            ReportCommand.Create(output, error),
            DiscoverCommand.Create(output, error),
        };
        return RunAsync(root, args, output, error, cancellationToken);
    }

    /// <summary>Parses and runs <paramref name="args"/> against <paramref name="root"/>, with the top-level error handling.</summary>
    internal static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync($"error: {OneLine(parseError.Message)}");
            }

            await error.WriteLineAsync("Run with --help for usage.");
            return BadUsage;
        }

        var command = parsed.CommandResult.Command.Name;
        try
        {
            // Ctrl-C and SIGTERM cancel the command's token (a clean stop: pending results stored, exit 0); a command still
            // running 10 s later is ended. System.CommandLine's own handler would print the exception with its stack trace.
            return await parsed.InvokeAsync(
                new InvocationConfiguration
                {
                    Output = output,
                    Error = error,
                    ProcessTerminationTimeout = TimeSpan.FromSeconds(10),
                    EnableDefaultExceptionHandler = false,
                },
                cancellationToken);
        }
        catch (ConfigurationException ex)
        {
            LogFailure(command, ex, configuration: true);
            await error.WriteLineAsync($"error: {ex.Message}");
            return BadUsage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Success;
        }
        catch (Exception ex)
        {
            LogFailure(command, ex, configuration: false);
            await error.WriteLineAsync($"error: '{command}' failed unexpectedly: {Describe(ex)} (set {LogLevelVariable}=Debug for the details)");
            return Failure;
        }
    }

    /// <summary>
    /// What went wrong, in words: exception messages are not shown, since they may hold what a server answered or a
    /// file contained, and type names mean nothing to the person running the monitor.
    /// </summary>
    private static string Describe(Exception exception) => exception switch
    {
        UnauthorizedAccessException => "a file or directory could not be accessed (permissions)",
        FileNotFoundException or DirectoryNotFoundException => "a file or directory it needs does not exist",
        IOException => "reading or writing a file or a connection failed",
        HttpRequestException or System.Net.Sockets.SocketException => "a network call failed",
        TimeoutException or OperationCanceledException => "an operation timed out",
        Azure.RequestFailedException failed => $"an Azure service answered {failed.Status}",
        OutOfMemoryException => "the process ran out of memory",
        AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
        _ => "an internal error",
    };

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static void LogFailure(string command, Exception exception, bool configuration)
    {
        var level = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable(LogLevelVariable), ignoreCase: true, out var configured)
            ? configured
            : LogLevel.Warning;
        if (level > LogLevel.Debug)
        {
            return;
        }

        using var factory = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(level)
            .AddSimpleConsole(console => console.SingleLine = false)
            .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        var logger = factory.CreateLogger(typeof(CliApplication));
        if (configuration)
        {
            LogConfigurationFailure(logger, command, exception);
        }
        else
        {
            LogUnexpectedFailure(logger, command, exception);
        }
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Debug, Message = "Command {Command} stopped on a configuration error")]
    private static partial void LogConfigurationFailure(ILogger logger, string command, Exception exception);

    [LoggerMessage(EventId = 901, Level = LogLevel.Debug, Message = "Command {Command} failed unexpectedly")]
    private static partial void LogUnexpectedFailure(ILogger logger, string command, Exception exception);
}
