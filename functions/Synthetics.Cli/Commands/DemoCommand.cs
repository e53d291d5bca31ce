using System.CommandLine;
using Synthetics.Cli.Demo;

namespace Synthetics.Cli.Commands;

/// <summary>
/// <c>demo [--scenario march-12|vantage-blip|healthy] [--minutes N]</c>: the whole product on one machine, no Azure account:
/// Azurite for Table Storage, the lab for an LKE region, its status page and an Application Insights receiver, and
/// three vantage points running the <c>run</c> pipeline in this process, the shipped defaults and the lab's scenario
/// all <c>--time-scale</c> times faster (default <see cref="DemoSettings.DefaultTimeScale"/>). Exit 0 when it ran, 2 for
/// bad usage, 1 when Node.js/npm (for Azurite) are missing.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var scenario = new Option<string>("--scenario")
        {
            Description = "march-12: ca-central NodeBalancers degrade during a provider maintenance; vantage-blip: one vantage loses its path; healthy: nothing happens.",
            DefaultValueFactory = _ => DemoSettings.Scenarios[0],
        };
        scenario.AcceptOnlyFromAmong([.. DemoSettings.Scenarios]);
        var minutes = new Option<double?>("--minutes") { Description = "Run this long instead of until the incident has resolved." };
        var timeScale = new Option<double?>("--time-scale")
        {
            Description = $"How many times faster than production the product and the lab run (every duration of the shipped defaults divided by it). Default {DemoSettings.DefaultTimeScale}.",
        };
        var evidence = new Option<string>("--evidence")
        {
            Description = "Directory for the evidence report of every incident the demo opens (HTML, and JSON beside it).",
            DefaultValueFactory = _ => "evidence",
        };
        var command = new Command("demo", "Run the whole pipeline against a local lab region, with Azurite, three vantage points and a scenario.")
        {
            scenario, minutes, timeScale, evidence,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (parseResult.GetValue(minutes) is { } value && (double.IsNaN(value) || value <= 0 || value > 60))
            {
                await error.WriteLineAsync("error: --minutes must be more than 0 and at most 60");
                return CliApplication.BadUsage;
            }

            if (parseResult.GetValue(timeScale) is { } scale && Configuration.TimeScaling.Validate(scale) is not null)
            {
                await error.WriteLineAsync($"error: --time-scale must be more than 0 and at most {Configuration.TimeScaling.MaxFactor:0}");
                return CliApplication.BadUsage;
            }

            return await RunAsync(
                DemoSettings.For(parseResult.GetRequiredValue(scenario), parseResult.GetValue(timeScale), parseResult.GetValue(minutes))
                    with { EvidenceDirectory = parseResult.GetRequiredValue(evidence) },
                output, error, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(DemoSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"LKE Synthetics demo: scenario {settings.Scenario}; the shipped defaults {settings.TimeScale:0.##}× faster: probes every " +
            $"{settings.ProbeInterval.TotalSeconds:0.#} s, an evaluation every {settings.EvaluationInterval.TotalSeconds:0.#} s of a " +
            $"{settings.DetectionWindow.TotalSeconds:0.#} s window. Ctrl-C stops."));
        AzuriteLauncher azurite;
        try
        {
            azurite = await AzuriteLauncher.StartAsync(output, TimeProvider.System, cancellationToken);
        }
        catch (DemoPrerequisiteException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return CliApplication.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return CliApplication.Success;
        }

        await using (azurite)
        {
            await output.WriteLineAsync($"Azurite (Table Storage emulator) on 127.0.0.1:{azurite.Port}, in memory.");
            var summary = await DemoRun.RunAsync(settings, azurite.ConnectionString, output, error, cancellationToken);
            await output.WriteLineAsync();
            await output.WriteLineAsync(summary.Format());
            return CliApplication.Success;
        }
    }
}
