using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Synthetics.Cli.Commands;
using Synthetics.Cli.Output;
using Synthetics.Lab.Region;
using Synthetics.Lab.Scenarios;

namespace Synthetics.Cli.Demo;

/// <summary>
/// One demo: a lab region playing a scenario, and each of its vantage points running the same pipeline as <c>run</c>
/// (probe, store, evaluate, alert) in this process, against one table service, with the lab's status page and
/// Application Insights receiver. The vantages' evaluators race; ETag-guarded state makes each incident open once.
/// </summary>
internal static class DemoRun
{
    private static readonly TimeSpan StopCheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Plays <paramref name="settings"/> against the table service of <paramref name="storageConnectionString"/>,
    /// printing to <paramref name="output"/>, until the settings say stop or <paramref name="cancellationToken"/> fires;
    /// either way returns what was seen.
    /// </summary>
    public static async Task<DemoSummary> RunAsync(
        DemoSettings settings, string storageConnectionString, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var directory = Directory.CreateTempSubdirectory("lke-synthetics-demo-").FullName;
        using var console = new RunConsole(output, error, json: false);
        var recorder = new DemoRecorder(console);
        try
        {
            await using var lab = await LabRegion.StartAsync(
                new LabRegionOptions
                {
                    Scenario = settings.Scenario,
                    ScenarioOptions = new LabScenarioOptions { Onset = settings.Onset, Window = settings.FaultWindow },
                    ScenarioStepApplied = recorder.OnScenarioStep,
                    TimeProvider = time,
                    Seed = settings.Seed ?? new LabRegionOptions().Seed,
                },
                cancellationToken);
            var files = lab.WriteConfig(directory);
            var onset = lab.ScenarioStartedAt + settings.Onset;
            await recorder.WriteAsync(
                $"{DemoSummary.Clock(lab.ScenarioStartedAt)} lab        started: scenario {settings.Scenario}, vantages {string.Join(", ", lab.Vantages)}; " +
                $"trouble at {DemoSummary.Clock(onset)} for {settings.FaultWindow.TotalSeconds:0} s");

            var tablePrefix = "Demo" + Guid.NewGuid().ToString("N")[..12];
            var sessions = new List<PipelineSession>();
            try
            {
                foreach (var vantage in lab.Vantages)
                {
                    var config = files.VantageConfigs[vantage];
                    var overrides = settings.Overrides(
                        storageConnectionString,
                        tablePrefix,
                        Path.Combine(directory, $"outbox-{vantage}"),
                        lab.IngestionConnectionString,
                        lab.StatusPage.BaseAddress,
                        KubernetesTargets(config));
                    // Warnings (e.g. the evaluator's own "incident opened") would repeat what the demo prints; errors still show.
                    sessions.Add(PipelineSession.Create(config, vantage: null, overrides, LogLevel.Error));
                }

                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var pipelines = sessions.Select(s => Task.Run(() => s.RunAsync(recorder.For(s.Vantage), stop.Token), CancellationToken.None)).ToList();
                try
                {
                    await WaitForEndAsync(settings, lab.ScenarioStartedAt, recorder, time, stop.Token);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Ctrl-C: stop the pipelines and still summarise what was seen.
                }

                await stop.CancelAsync();
                await Task.WhenAll(pipelines);
            }
            finally
            {
                foreach (var session in sessions)
                {
                    await session.DisposeAsync();
                }
            }

            return new DemoSummary(
                settings.Scenario,
                onset,
                lab.ScenarioStartedAt + settings.FaultEnd,
                recorder.Events,
                recorder.Evaluations,
                recorder.Cycles,
                lab.Ingestion.AvailabilityResults.GroupBy(a => a.RunLocation, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
                lab.Ingestion.Events.GroupBy(e => e.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));
        }
        finally
        {
            TryDelete(directory);
        }
    }

    /// <summary>
    /// A short healthy run that discards what it sees, so the scenarios played after it in this process measure the lab
    /// and the targets, not the JIT and the first certificates (a cold process stalls its first cycle for seconds).
    /// </summary>
    public static Task WarmUpAsync(string storageConnectionString, CancellationToken cancellationToken) =>
        RunAsync(DemoSettings.Accelerated(LabScenarios.Healthy, TimeSpan.FromSeconds(10), duration: TimeSpan.FromSeconds(12)),
            storageConnectionString, TextWriter.Null, TextWriter.Null, cancellationToken);

    /// <summary>
    /// Waits for the fixed duration, or until the recovery is in the window and nothing is open, or the deadline.
    /// </summary>
    private static async Task WaitForEndAsync(DemoSettings settings, DateTimeOffset startedAt, DemoRecorder recorder, TimeProvider time, CancellationToken cancellationToken)
    {
        while (true)
        {
            var elapsed = time.GetUtcNow() - startedAt;
            var done = settings.Duration is { } duration
                ? elapsed >= duration
                : elapsed >= settings.Deadline || (elapsed >= settings.EarliestStop && !recorder.AnyOpen);
            if (done)
            {
                return;
            }

            await Task.Delay(StopCheckInterval, time, cancellationToken);
        }
    }

    /// <summary>Indexes of a lab config's KubernetesApi targets, whose canary timings the demo shortens.</summary>
    private static IEnumerable<int> KubernetesTargets(string configPath)
    {
        var targets = JsonNode.Parse(File.ReadAllText(configPath))?["Synthetics"]?["Targets"]?.AsArray() ?? [];
        return [.. targets.Select((t, i) => (Kind: (string?)t?["Kind"], Index: i)).Where(t => t.Kind == "KubernetesApi").Select(t => t.Index)];
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is not worth failing the demo for.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }
}
