using Synthetics.Cli.Demo;
using Synthetics.Configuration;
using Synthetics.Detection;
using Synthetics.Lab.Region;
using Synthetics.Lab.Scenarios;
using static System.FormattableString;

namespace Synthetics.Benchmarks;

/// <summary>
/// march-12, vantage-blip and healthy on the real lab (sockets, NodeBalancers, the Kubernetes API, Azurite, the
/// Application Insights receiver), once per lab seed, through the same pipeline as <c>demo</c>: the Function App's cycles
/// on the shipped defaults, every duration of the product and the lab divided by <c>--time-scale</c> (default 1: the
/// production cadence, about 16 minutes per seed). Detection latency and false incidents as measured, where
/// <c>detection</c> simulates. Each seed plays the three scenarios at once, three vantages each, in this process.
/// </summary>
internal static class LabDetectionBenchmark
{
    private const string CaCentral = "provider:ca-central";

    public static async Task RunAsync(BenchmarkArguments options)
    {
        var seeds = options.Int("seeds", 3);
        var firstSeed = options.Int("seed", new LabRegionOptions().Seed);
        var timeScale = options.Double("time-scale", TimeScaling.RealTime);
        // march-12 alone (--only march-12): the lead over the bystander, without the false-page scenarios' load.
        var march12Only = options.String("only", "") == LabScenarios.March12;
        if (TimeScaling.Validate(timeScale) is { } error)
        {
            throw new ArgumentException(error.Replace("Synthetics:TimeScale", "--time-scale", StringComparison.Ordinal));
        }

        await using var azurite = await AzuriteLauncher.StartAsync(TextWriter.Null, TimeProvider.System, CancellationToken.None);
        var march12 = DemoSettings.For(LabScenarios.March12, timeScale) with { FleetChangeRollout = options.FleetChangeRollout() };
        // healthy runs as long as march-12 may: the same number of evaluations that could page falsely.
        var healthyDuration = march12.Deadline;
        Console.WriteLine(Invariant($"lab-detection: {seeds} lab seeds from {firstSeed}, time scale {timeScale:0.##} (1 = production cadence); {(march12Only ? "march-12 alone" : "march-12, vantage-blip and healthy at once")} per seed, 3 vantages each in one process"));
        Console.WriteLine(Invariant($"shipped defaults: probes every {march12.ProbeInterval.TotalSeconds:0.#} s, a {march12.DetectionWindow.TotalSeconds:0.#} s window evaluated every {march12.EvaluationInterval.TotalSeconds:0.#} s; march-12 fault {march12.FaultWindow.TotalSeconds:0} s from {march12.Onset.TotalSeconds:0.#} s ({options.FleetChangeName}), vantage-blip {DemoSettings.For(LabScenarios.VantageBlip, timeScale).FaultWindow.TotalSeconds:0} s, healthy {healthyDuration.TotalSeconds:0} s (real seconds)"));

        // Warm the process, so no seed measures the JIT.
        await DemoRun.WarmUpAsync(azurite.ConnectionString, timeScale, CancellationToken.None);

        var detected = new List<(double Seconds, int Evaluations)>();
        var regional = new List<int>();
        var resolvedAfter = new List<double>();
        var blipAsVantage = 0;
        var falseMarch12 = 0;
        var falseBlip = 0;
        var falseHealthy = 0;
        var leads = new List<BystanderLead>();
        for (var i = 0; i < seeds; i++)
        {
            var seed = firstSeed + i;
            DemoSettings[] played = march12Only
                ? [march12 with { Seed = seed }]
                :
                [
                    march12 with { Seed = seed },
                    DemoSettings.For(LabScenarios.VantageBlip, timeScale, seed: seed),
                    DemoSettings.For(LabScenarios.Healthy, timeScale, seed: seed) with { Duration = healthyDuration },
                ];
            var summaries = await Task.WhenAll(played.Select(settings =>
                DemoRun.RunAsync(settings, azurite.ConnectionString, TextWriter.Null, TextWriter.Null, CancellationToken.None)));
            var m = summaries[0];
            var (b, h) = march12Only ? (null, null) : (summaries[1], summaries[2]);

            var opened = m.Opened.FirstOrDefault(e => e.Incident.Key == CaCentral);
            var widened = m.Events.FirstOrDefault(e => e.Incident.Key == CaCentral && e.Incident.Scope == IncidentScope.Region);
            var resolved = m.Resolved.FirstOrDefault(e => e.Incident.Key == CaCentral);
            var others = m.Opened.Where(e => e.Incident.Key != CaCentral).ToList();
            // A vantage's own health is reported, not paged: only another provider-side incident is a false page.
            falseMarch12 += others.Count(e => e.Incident.Scope != IncidentScope.Vantage);
            var otherNames = others.Count == 0 ? "none" : string.Join(", ", others.Select(e => e.Incident.Key));
            var blipPages = b?.Opened.Count(e => e.Incident.Scope != IncidentScope.Vantage) ?? 0;
            falseBlip += blipPages;
            blipAsVantage += b?.Opened.Any(e => e.Incident.Scope == IncidentScope.Vantage) == true ? 1 : 0;
            falseHealthy += h?.Opened.Count ?? 0;
            var lead = BystanderLead.From(
                m.Onset, m.Bystanders.GetValueOrDefault(LabRegion.CaCentral) ?? [], opened?.At);
            leads.Add(lead);
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

            var rest = b is null || h is null
                ? "vantage-blip and healthy not played"
                : Invariant($"vantage-blip {b.Opened.Count} opened, {blipPages} paging; healthy incidents {h.Opened.Count} in {h.Evaluations.Count} evaluations");
            Console.WriteLine(Invariant($"seed {seed}: march-12 {line}; {lead}; other incidents: {otherNames}; {rest}"));
        }

        Console.WriteLine();
        Console.WriteLine(Invariant($"time scale {timeScale:0.##}"));
        Console.WriteLine("| scenario | seeds | detected | latency median / worst | evaluations median / worst | regional by evaluation 4 | resolved after faults cleared median / worst | false pages |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        Console.WriteLine(Invariant(
            $"| march-12 | {seeds} | {detected.Count}/{seeds} | {Median(detected.Select(d => d.Seconds)):0} / {Max(detected.Select(d => d.Seconds)):0} s | {Median(detected.Select(d => (double)d.Evaluations)):0} / {Max(detected.Select(d => (double)d.Evaluations)):0} | {regional.Count(r => r <= 4)}/{seeds} | {Median(resolvedAfter):0} / {Max(resolvedAfter):0} s | {falseMarch12} |"));
        if (!march12Only)
        {
            Console.WriteLine(Invariant($"| vantage-blip | {seeds} | {blipAsVantage}/{seeds} as vantage health | – | – | – | – | {falseBlip} paging |"));
            Console.WriteLine(Invariant($"| healthy | {seeds} | – | – | – | – | – | {falseHealthy} in {seeds * healthyDuration.TotalSeconds:0} s |"));
        }

        // The customers' view: ca-central's cert-manager (the lab's bystander) losing its leader election, against the page.
        Console.WriteLine();
        Console.WriteLine("| march-12 seed | bystander's first lost lease (real s after onset) | page (real s after onset) | lead (lost − page, real s) |");
        Console.WriteLine("|---|---|---|---|");
        for (var i = 0; i < leads.Count; i++)
        {
            var l = leads[i];
            Console.WriteLine(Invariant($"| {firstSeed + i} | {l.LostCell} | {(l.Page is { } p ? Invariant($"{p.TotalSeconds:0} s") : "no page")} | {l.LeadCell} |"));
        }

        Console.WriteLine(BystanderLead.Summary(leads));
    }

    private static int Evaluations(DemoSummary summary, DateTimeOffset until) =>
        summary.Evaluations.Count(at => at > summary.Onset && at <= until);

    private static double Median(IEnumerable<double> values) => WindowEvaluator.Percentile(values, 0.5);

    private static double Max(IEnumerable<double> values) => values.DefaultIfEmpty(double.NaN).Max();
}
