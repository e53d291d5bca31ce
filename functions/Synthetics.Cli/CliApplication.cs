using System.CommandLine;
using Synthetics.Cli.Commands;

namespace Synthetics.Cli;

/// <summary>
/// The command line (contract: DESIGN §5). Exit codes: 0 the command ran, 2 bad usage or configuration
/// (with a message naming what is wrong), 1 an unexpected failure.
/// </summary>
public static class CliApplication
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadUsage = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("LKE Synthetics: synthetic monitoring of LKE control planes and NodeBalancers.")
        {
            ProbeCommand.Create(output, error),
            LabCommand.Create(output, error),
            RunCommand.Create(output, error),
            DemoCommand.Create(output, error),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync($"error: {parseError.Message}");
            }

            await error.WriteLineAsync("Run with --help for usage.");
            return BadUsage;
        }

        // Ctrl-C and SIGTERM cancel the command's token (a clean stop: pending results stored, exit 0); a command still
        // running 10 s later is ended.
        return await parsed.InvokeAsync(
            new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = TimeSpan.FromSeconds(10) },
            cancellationToken);
    }
}
