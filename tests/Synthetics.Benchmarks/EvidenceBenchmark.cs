using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Synthetics.Cli.Demo;
using Synthetics.Configuration;
using Synthetics.Core.Tests.Explain;
using Synthetics.Detection;
using Synthetics.Explain;
using Synthetics.Storage;
using Synthetics.Targets;

namespace Synthetics.Benchmarks;

/// <summary>
/// How long an incident's evidence report takes: a regional incident of <c>--fault-minutes</c> (default 60) seen by three
/// vantages (ca-central's control plane, web NodeBalancer and TCP port failing, us-east beside it; a cycle a minute per
/// vantage, the lab's probes per target) written to Azurite with 15 minutes before and after, then the report built
/// <c>--runs</c> times through the store's keys (history, the region's day partitions, the other region's, the cycle
/// table's minutes) and rendered in every format. Goal: under 5 s.
/// </summary>
internal static class EvidenceBenchmark
{
    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        var faultMinutes = arguments.Int("fault-minutes", 60);
        var runs = arguments.Int("runs", 5);
        var connectionString = arguments.String("connection-string", "");
        await using var azurite = connectionString.Length == 0 ? await AzuriteLauncher.StartAsync(TextWriter.Null, TimeProvider.System, CancellationToken.None) : null;
        connectionString = azurite?.ConnectionString ?? connectionString;

        var suffix = Guid.NewGuid().ToString("N")[..8];
        var options = new SyntheticsOptions
        {
            Storage = new StorageOptions
            {
                ConnectionString = connectionString,
                ResultsByTimeTable = "EvByMinute" + suffix,
                ResultsByTargetTable = "EvByTarget" + suffix,
                CyclesTable = "EvCycles" + suffix,
                IncidentsTable = "EvIncidents" + suffix,
                RequestTimeoutSeconds = 60,
            },
            Targets = [.. March12Evidence.Targets.Select(t => new TargetOptions { Name = t.Name, Kind = t.Kind, Region = t.Region })],
        };
        var wrapped = Microsoft.Extensions.Options.Options.Create(options);
        var service = ResultStorageServiceCollectionExtensions.CreateServiceClient(options.Storage);
        var store = new TableResultStore(service, wrapped, TimeProvider.System, NullLogger<TableResultStore>.Instance);
        var incidents = new TableIncidentStateStore(service, wrapped);
        var start = new DateTimeOffset(2026, 3, 12, 13, 0, 0, TimeSpan.Zero);

        var writing = Stopwatch.StartNew();
        var data = await March12Evidence.WriteAsync(
            store, incidents, start, minutes: faultMinutes + 30, onset: TimeSpan.FromMinutes(15), fault: TimeSpan.FromMinutes(faultMinutes));
        writing.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"evidence: a {faultMinutes}-minute regional incident, {March12Evidence.Vantages.Length} vantages, {data.Results.Count:N0} results ({data.Results.Count(r => !r.Success):N0} failed) written in {writing.Elapsed.TotalSeconds:0.0} s, " +
            $"{Environment.ProcessorCount} cores, {(azurite is null ? "given table service" : "Azurite in memory")}"));

        var builder = new EvidenceBuilder(store, incidents, data.StatusPage(), wrapped, March12Evidence.CatalogSource("benchmark-token"), TimeProvider.System);
        var builds = new List<double>();
        var renders = new Dictionary<EvidenceFormat, List<double>>();
        EvidenceReport? report = null;
        for (var run = 0; run <= runs; run++)
        {
            var pagesBefore = store.PagesRead;
            var timer = Stopwatch.StartNew();
            report = await builder.BuildAsync(new EvidenceRequest { IncidentId = data.IncidentId }, CancellationToken.None);
            timer.Stop();
            var pages = store.PagesRead - pagesBefore;
            var sizes = new List<string>();
            foreach (var format in Enum.GetValues<EvidenceFormat>())
            {
                var render = Stopwatch.StartNew();
                var text = EvidenceRenderer.Render(report, format);
                render.Stop();
                if (run > 0)
                {
                    if (!renders.TryGetValue(format, out var list))
                    {
                        renders[format] = list = [];
                    }

                    list.Add(render.Elapsed.TotalMilliseconds);
                }

                sizes.Add(string.Create(CultureInfo.InvariantCulture, $"{EvidenceRenderer.Extension(format)} {text.Length / 1024.0:0} KiB"));
            }

            // The first run pays for JIT and first connections: printed, not counted.
            if (run > 0)
            {
                builds.Add(timer.Elapsed.TotalSeconds);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  run {run}{(run == 0 ? " (warm-up)" : "")}: built in {timer.Elapsed.TotalSeconds:0.00} s, {pages} query pages, {report.Attempts:N0} runs read for the subject, " +
                $"{report.FailedAttempts.Count:N0} failed attempts; {string.Join(", ", sizes)}"));
        }

        builds.Sort();
        var rendering = string.Join(", ", renders.Select(r => string.Create(CultureInfo.InvariantCulture,
            $"{EvidenceRenderer.Extension(r.Key)} {r.Value.Order().ElementAt(r.Value.Count / 2):0} ms")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"evidence report build: median {builds[builds.Count / 2]:0.00} s, worst {builds[^1]:0.00} s over {builds.Count} runs (goal < 5 s); render (median) {rendering}"));
    }
}
