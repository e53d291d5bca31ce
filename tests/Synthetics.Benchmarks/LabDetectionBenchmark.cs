using System.Globalization;
using Synthetics.Cli.Demo;
using Synthetics.Detection;
using Synthetics.Lab.Region;
using Synthetics.Lab.Scenarios;
using static System.FormattableString;

namespace Synthetics.Benchmarks;

/// <summary>
/// March-12 and healthy on the real lab (sockets, NodeBalancers, the Kubernetes API, Azurite, the Application Insights
/// receiver), once per lab seed, through the same pipeline as <c>demo</c> on its accelerated timings: detection latency
/// and false incidents as measured, where <c>detection</c> simulates. Each seed plays both scenarios at once.
/// </summary>
internal static class LabDetectionBenchmark
{
    private const string CaCentral = "provider:ca-central";
    private static readonly TimeSpan FaultWindow = TimeSpan.FromSeconds(125);
    private static readonly TimeSpan HealthyDuration = TimeSpan.FromSeconds(240);

    public static async Task RunAsync(BenchmarkArguments options)
    {
        var seeds = options.Int("seeds", 3);
        var firstSeed = options.Int("seed", new LabRegionOptions().Seed);
        await using var azurite = await AzuriteLauncher.StartAsync(TextWriter.Null, TimeProvider.System, CancellationToken.None);
        var settings = DemoSettings.Accelerated(LabScenarios.March12, FaultWindow);
        Console.WriteLine(Invariant($"lab-detection: {seeds} lab seeds from {firstSeed}; march-12 (fault {FaultWindow.TotalSeconds:0} s) and healthy ({HealthyDuration.TotalSeconds:0} s) at once per seed"));
        Console.WriteLine(Invariant($"probes {settings.ProbeSchedule}, window {settings.DetectionWindow.TotalSeconds:0} s, evaluations {settings.EvaluationSchedule} (one stands every {settings.EffectiveEvaluationInterval.TotalSeconds:0} s), open after 2, resolve after {settings.ResolveAfter}; 3 vantages in one process"));

        // Warm the process, so no seed measures the JIT.
        await DemoRun.WarmUpAsync(azurite.ConnectionString, CancellationToken.None);

        var detected = new List<(double Seconds, int Evaluations)>();
        var regional = new List<int>();
        var resolvedAfter = new List<double>();
        var falseMarch12 = 0;
        var falseHealthy = 0;
        for (var i = 0; i < seeds; i++)
        {
            var seed = firstSeed + i;
            var march12 = DemoRun.RunAsync(DemoSettings.Accelerated(LabScenarios.March12, FaultWindow, seed: seed),
                azurite.ConnectionString, TextWriter.Null, TextWriter.Null, CancellationToken.None);
            var healthy = DemoRun.RunAsync(DemoSettings.Accelerated(LabScenarios.Healthy, TimeSpan.FromSeconds(60), HealthyDuration, seed),
                azurite.ConnectionString, TextWriter.Null, TextWriter.Null, CancellationToken.None);
            var (m, h) = (await march12, await healthy);

            var opened = m.Opened.FirstOrDefault(e => e.Incident.Key == CaCentral);
            var widened = m.Events.FirstOrDefault(e => e.Incident.Key == CaCentral && e.Incident.Scope == IncidentScope.Region);
            var resolved = m.Resolved.FirstOrDefault(e => e.Incident.Key == CaCentral);
            var others = m.Opened.Count(e => e.Incident.Key != CaCentral);
            falseMarch12 += others;
            falseHealthy += h.Opened.Count;
            string line;
            if (opened is null)
            {
                line = "not detected";
            }
            else
            {
                var evaluations = Evaluations(m, opened.At);
                detected.Add(((opened.At - m.Onset).TotalSeconds, evaluations));
                if (widened is not null)
                {
                    regional.Add(Evaluations(m, widened.At));
                }

                if (resolved is not null)
                {
                    resolvedAfter.Add((resolved.At - m.FaultEnd).TotalSeconds);
                }

                line = Invariant($"opened {(opened.At - m.Onset).TotalSeconds:0} s after onset ({evaluations} evaluations) as {opened.Incident.Scope.ToString().ToLowerInvariant()}")
                       + (widened is null ? ", never regional" : Invariant($", regional at evaluation {Evaluations(m, widened.At)}"))
                       + Invariant($", leading {opened.Incident.LeadingOutcome?.ToString().ToLowerInvariant() ?? "latency"}")
                       + (resolved is null ? ", not resolved" : Invariant($", resolved {(resolved.At - m.FaultEnd).TotalSeconds:0} s after the faults cleared"));
            }

            Console.WriteLine(Invariant($"seed {seed}: march-12 {line}; other incidents {others}; healthy incidents {h.Opened.Count} in {h.Evaluations.Count} evaluations"));
        }

        Console.WriteLine();
        Console.WriteLine("| scenario | seeds | detected | latency median / worst | evaluations median / worst | regional by evaluation 4 | resolved after faults cleared median / worst | false incidents |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        Console.WriteLine(Invariant(
            $"| march-12 | {seeds} | {detected.Count}/{seeds} | {Median(detected.Select(d => d.Seconds)):0} / {Max(detected.Select(d => d.Seconds)):0} s | {Median(detected.Select(d => (double)d.Evaluations)):0} / {Max(detected.Select(d => (double)d.Evaluations)):0} | {regional.Count(r => r <= 4)}/{seeds} | {Median(resolvedAfter):0} / {Max(resolvedAfter):0} s | {falseMarch12} |"));
        Console.WriteLine(Invariant($"| healthy | {seeds} | – | – | – | – | – | {falseHealthy} in {seeds * HealthyDuration.TotalSeconds:0} s |"));
    }

    private static int Evaluations(DemoSummary summary, DateTimeOffset until) =>
        summary.Evaluations.Count(at => at > summary.Onset && at <= until);

    private static double Median(IEnumerable<double> values) => WindowEvaluator.Percentile(values, 0.5);

    private static double Max(IEnumerable<double> values) => values.DefaultIfEmpty(double.NaN).Max();
}
