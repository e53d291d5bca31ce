using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Synthetics.Cli.Hosting;
using Synthetics.Cli.Output;
using Synthetics.Detection;
using Synthetics.Explain;
using Synthetics.Pipeline;
using Synthetics.Lab.Region;
using Synthetics.Lab.Scenarios;

namespace Synthetics.Cli.Demo;

/// <summary>
/// One demo: a lab region playing a scenario, and each of its vantage points a generic host running the same pipeline
/// as <c>run</c> (the Function App's cycles on their schedules: probe and store, evaluate, retention) in this process,
/// against one table service, with the lab's status page and Application Insights receiver, everything on one time
/// scale. The vantages' evaluators race; ETag-guarded state makes each incident open once.
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
                    ScenarioOptions = settings.LabScenarioOptions,
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
            var hosts = new List<IHost>();
            IReadOnlyList<string> reports = [];
            try
            {
                foreach (var vantage in lab.Vantages)
                {
                    var overrides = settings.Overrides(
                        storageConnectionString,
                        tablePrefix,
                        Path.Combine(directory, $"outbox-{vantage}"),
                        lab.IngestionConnectionString,
                        lab.StatusPage.BaseAddress);
                    var observer = recorder.For(vantage);
                    // Warnings (e.g. the evaluator's own "incident opened") would repeat what the demo prints; errors still show.
                    hosts.Add(PipelineHost.Create(
                        files.VantageConfigs[vantage],
                        vantage: null,
                        overrides,
                        services => services.AddPipelineScheduler().AddSingleton<IPipelineObserver>(observer),
                        LogLevel.Error));
                }

                await Task.WhenAll(hosts.Select(h => h.StartAsync(cancellationToken)));
                try
                {
                    await WaitForEndAsync(settings, lab.ScenarioStartedAt, recorder, time, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Ctrl-C: stop the pipelines and still summarise what was seen.
                }

                // The cycles in progress are cancelled and store what they measured.
                await Task.WhenAll(hosts.Select(h => h.StopAsync(CancellationToken.None)));
                // While the lab's status page still answers: the maintenance is read as a report run later would read it.
                reports = await WriteEvidenceAsync(settings, hosts[0], recorder, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C while the hosts were starting.
                await Task.WhenAll(hosts.Select(h => h.StopAsync(CancellationToken.None)));
            }
            finally
            {
                foreach (var host in hosts)
                {
                    host.Dispose();
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
                lab.Ingestion.Events.GroupBy(e => e.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal))
            {
                EvidenceReports = reports,
                TablePrefix = tablePrefix,
                Bystanders = lab.Bystanders.ToDictionary(b => b.LinodeRegion, b => b.Events, StringComparer.Ordinal),
            };
        }
        finally
        {
            TryDelete(directory);
        }
    }

    /// <summary>
    /// Writes the evidence report of every incident the run opened into the settings' evidence directory, HTML for a
    /// person and JSON beside it, prints each path, and returns the HTML paths. A report that cannot be built is
    /// reported in one line; the demo goes on.
    /// </summary>
    private static async Task<IReadOnlyList<string>> WriteEvidenceAsync(DemoSettings settings, IHost host, DemoRecorder recorder, CancellationToken cancellationToken)
    {
        if (settings.EvidenceDirectory is not { } directory || cancellationToken.IsCancellationRequested)
        {
            return [];
        }

        var source = host.Services.GetRequiredService<IEvidenceSource>();
        var written = new List<string>();
        foreach (var id in recorder.Events.Where(e => e.Kind == IncidentEventKind.Opened).Select(e => e.Incident.Id).Distinct(StringComparer.Ordinal))
        {
            try
            {
                var report = await source.BuildAsync(new EvidenceRequest { IncidentId = id }, cancellationToken);
                Directory.CreateDirectory(directory);
                var path = Path.GetFullPath(Path.Combine(directory, FileName(id) + ".html"));
                await File.WriteAllTextAsync(path, EvidenceRenderer.Render(report, EvidenceFormat.Html), cancellationToken);
                await File.WriteAllTextAsync(Path.ChangeExtension(path, ".json"), EvidenceRenderer.Render(report, EvidenceFormat.Json), cancellationToken);
                written.Add(path);
                await recorder.WriteAsync(
                    $"{DemoSummary.Clock(report.GeneratedAt)} evidence   {id}: {path} (and .json): {report.FailedAttempts.Count} failed attempts of {report.Attempts} runs, {report.Vantages.Count} vantages");
            }
            catch (Exception ex) when (ex is EvidenceRequestException or IOException or UnauthorizedAccessException or Azure.RequestFailedException)
            {
                await recorder.WriteAsync($"evidence   {id}: not written ({ex.GetType().Name})");
            }
        }

        return written;
    }

    /// <summary>An incident id as a file name: <c>provider:ca-central@20260312T140200Z</c> → <c>provider-ca-central-20260312T140200Z</c>.</summary>
    internal static string FileName(string id) =>
        string.Concat(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-'));

    /// <summary>
    /// A short healthy run at <paramref name="timeScale"/> (two probe cycles) that discards what it sees, so the
    /// scenarios played after it in this process measure the lab and the targets, not the JIT and the first
    /// certificates (a cold process stalls its first cycle for seconds).
    /// </summary>
    public static Task WarmUpAsync(string storageConnectionString, double timeScale, CancellationToken cancellationToken)
    {
        var healthy = DemoSettings.For(LabScenarios.Healthy, timeScale);
        return RunAsync(healthy with { Duration = healthy.ProbeInterval * 2.5 }, storageConnectionString, TextWriter.Null, TextWriter.Null, cancellationToken);
    }

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
