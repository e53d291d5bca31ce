using System.Diagnostics;
using System.Globalization;
using Synthetics.Detection;

namespace Synthetics.Benchmarks;

/// <summary>
/// How fast and how precisely the detection chain pages on the March-12 shape, how quiet it stays on healthy noise and
/// on one vantage's own outage, against the Application Insights availability alert on the same faults. Seeded
/// simulation, all in memory: same arguments, same figures. Prints; asserts nothing.
/// </summary>
internal static class DetectionBenchmark
{
    private const string FaultRegion = "ca-central";
    private const int Onset = 10;
    private const int FaultMinutes = 30;
    private const int BlipMinutes = 3;

    private static readonly DetectionAvailabilityAlert[] AvailabilityAlerts =
    [
        new("AI availability alert, >=2 of 3 locations, retries (portal default)", 2, Retries: true),
        new("AI availability alert, >=2 of 3 locations, no retries", 2, Retries: false),
        new("AI availability alert, >=1 of 3 locations, no retries", 1, Retries: false),
    ];

    public static void Run(BenchmarkArguments arguments)
    {
        var seeds = arguments.Int("seeds", 20);
        var minutes = arguments.Int("minutes", 60);
        var options = new DetectionOptions();
        var march12 = DetectionScenario.March12(Onset, FaultMinutes);
        var blip = DetectionScenario.VantageBlip(Onset, BlipMinutes);
        var wall = Stopwatch.StartNew();

        Console.WriteLine(Invariant($"detection: {seeds} seeds x {minutes} min per scenario; vantages {string.Join(", ", DetectionTopology.Vantages)}; targets {string.Join(", ", DetectionTopology.Targets.Select(t => $"{t.Name} ({t.Region}, {t.Probes.Count} probes)"))}"));
        Console.WriteLine(Invariant($"probes every {DetectionTopology.Cycle.TotalSeconds:0} s, timeout {DetectionTopology.ProbeTimeout.TotalSeconds:0} s; evaluation every minute on a {options.Window.TotalMinutes:0}-min window, baseline the previous {DetectionSimulation.BaselineMinutes} min; defaults: degraded >= {options.DegradedFailureRatio:0%} and >= {options.MinFailures} failures, {options.MinAgreeingVantages} vantages agree, {options.RegionMinTargets} targets make a region, open after {options.OpenAfter}, resolve after {options.ResolveAfter}"));
        Console.WriteLine(Invariant($"march-12: {FaultRegion} NodeBalancers stall {march12.StallShare:0%} + reset {march12.ResetShare:0%} of new connections, cut held ones at 30-90 s, minutes {Onset}-{Onset + FaultMinutes}; vantage-blip: {blip.FaultVantage} times out everything, minutes {Onset}-{Onset + BlipMinutes}; noise {march12.NoiseShare:0.0%} of runs everywhere"));
        Console.WriteLine(Invariant($"AI standard test: 1 GET of ca-web per location every {DetectionAvailabilityAlert.Frequency.TotalMinutes:0} min, {DetectionAvailabilityAlert.Locations} locations, alert on failed locations in a {DetectionAvailabilityAlert.AlertWindow.TotalMinutes:0}-min window, evaluated every minute (ingestion delay not modelled)"));
        Console.WriteLine();

        var rows = new List<string[]>();
        var notes = new List<string>();

        var healthyRuns = Runs(DetectionScenario.Healthy, seeds, minutes, options);
        var days = seeds * minutes / 1440.0;
        var healthyOpened = healthyRuns.SelectMany(r => r.Events).Where(e => e.Kind == IncidentEventKind.Opened).ToList();
        rows.Add(["healthy", "LKE Synthetics", "-", "-", Invariant($"{healthyOpened.Count(e => e.Incident.Scope != IncidentScope.Vantage) / days:0.00} (+{healthyOpened.Count(e => e.Incident.Scope == IncidentScope.Vantage) / days:0.00} vantage)"), Scopes(healthyOpened), "-"]);
        foreach (var alert in AvailabilityAlerts)
        {
            var fires = Enumerable.Range(1, seeds).Sum(seed => alert.Fires(DetectionScenario.Healthy, FaultRegion, seed, minutes).Count);
            rows.Add(["healthy", alert.Name, "-", "-", Invariant($"{fires / days:0.00}"), "-", "-"]);
        }

        var marchRuns = Runs(march12, seeds, minutes, options);
        rows.Add(March12Row(marchRuns, march12, options, notes));
        foreach (var alert in AvailabilityAlerts)
        {
            var fires = Enumerable.Range(1, seeds).Select(seed => alert.Fires(march12, FaultRegion, seed, minutes)).ToList();
            var during = fires.Select(f => f.Where(m => m >= Onset && m <= Onset + FaultMinutes + DetectionAvailabilityAlert.AlertWindow.TotalMinutes).ToList()).ToList();
            var latencies = during.Where(f => f.Count > 0).Select(f => f[0] - Onset).ToList();
            rows.Add(["march-12", alert.Name, Invariant($"{latencies.Count}/{seeds}"), Latency(latencies), Invariant($"{fires.Sum(f => f.Count) - during.Sum(f => f.Count)} outside fault"), "-", "-"]);
        }

        var blipRuns = Runs(blip, seeds, minutes, options);
        var blipOpened = blipRuns.SelectMany(r => r.Events).Where(e => e.Kind == IncidentEventKind.Opened).ToList();
        var blipVantage = blipRuns.Select(r => r.Events.FirstOrDefault(e => e.Kind == IncidentEventKind.Opened && e.Incident.Key == $"vantage:{blip.FaultVantage}")).ToList();
        rows.Add(["vantage-blip", "LKE Synthetics", Invariant($"{blipVantage.Count(e => e is not null)}/{seeds} vantage"), Latency([.. blipVantage.OfType<IncidentEvent>().Select(e => Minutes(e.At) - Onset)]), "-", Scopes(blipOpened), "-"]);

        Print(["scenario", "detector", "fired (seeds)", "latency median / worst (min)", "false alarms per day", "opened: region/target/vantage", "resolved after fault end median / worst (min)"], rows);
        Console.WriteLine();
        foreach (var note in notes)
        {
            Console.WriteLine(note);
        }

        Console.WriteLine(Invariant($"simulated {marchRuns.Concat(healthyRuns).Concat(blipRuns).Sum(r => r.Runs):N0} probe runs and {3 * seeds * minutes:N0} evaluations in {wall.Elapsed.TotalSeconds:0.0} s"));
    }

    private static List<DetectionRun> Runs(DetectionScenario scenario, int seeds, int minutes, DetectionOptions options) =>
        [.. Enumerable.Range(1, seeds).Select(seed => DetectionSimulation.Run(scenario, seed, minutes, options))];

    private static string[] March12Row(List<DetectionRun> runs, DetectionScenario scenario, DetectionOptions options, List<string> notes)
    {
        var end = scenario.FaultEndMinute;
        var latencies = new List<double>();
        var resolveTimes = new List<double>();
        var unresolved = 0;
        var early = 0;
        var pagesPerSeed = new List<int>();
        var firstScopes = new List<IncidentScope>();
        var (usEast, usEastVantage, updated) = (0, 0, 0);
        var (regionMinutes, targetMinutes, quietMinutes) = (0, 0, 0);
        foreach (var run in runs)
        {
            bool InRegion(Incident i) => i.Region == FaultRegion && i.Scope != IncidentScope.Vantage;
            var pages = run.Events.Where(e => e.Kind == IncidentEventKind.Opened && InRegion(e.Incident)).ToList();
            pagesPerSeed.Add(pages.Count);
            if (pages.FirstOrDefault(e => Minutes(e.At) >= scenario.FaultStartMinute) is { } first)
            {
                latencies.Add(Minutes(first.At) - scenario.FaultStartMinute);
                firstScopes.Add(first.Incident.Scope);
            }

            var resolved = run.Events.Where(e => e.Kind == IncidentEventKind.Resolved && InRegion(e.Incident)).ToList();
            early += resolved.Count(e => Minutes(e.At) <= end);
            if (run.StillOpen.Any(InRegion))
            {
                unresolved++;
            }
            else if (resolved.Count > 0)
            {
                resolveTimes.Add(Minutes(resolved[^1].At) - end);
            }

            usEast += run.Events.Count(e => e.Kind == IncidentEventKind.Opened && e.Incident.Scope != IncidentScope.Vantage && e.Incident.Region == "us-east");
            usEastVantage += run.Events.Count(e => e.Kind == IncidentEventKind.Opened && e.Incident.Scope == IncidentScope.Vantage && e.Incident.Targets.Contains("us-prod-api"));
            updated += run.Events.Count(e => e.Kind == IncidentEventKind.Updated && InRegion(e.Incident));
            foreach (var (minute, findings) in run.Findings.Where(f => f.Minute >= scenario.FaultStartMinute && f.Minute < end))
            {
                if (findings.Any(f => f.Scope == IncidentScope.Region && f.Region == FaultRegion))
                {
                    regionMinutes++;
                }
                else if (findings.Any(f => f.Scope == IncidentScope.Target && f.Region == FaultRegion))
                {
                    targetMinutes++;
                }
                else
                {
                    quietMinutes++;
                }
            }
        }

        var faultEvaluations = (double)(regionMinutes + targetMinutes + quietMinutes);
        var opened = runs.SelectMany(r => r.Events).Where(e => e.Kind == IncidentEventKind.Opened).ToList();
        var failed = runs.Sum(r => r.FailedRuns);
        notes.Add(Invariant($"march-12, LKE Synthetics: first page scope region {firstScopes.Count(s => s == IncidentScope.Region)}, target {firstScopes.Count(s => s == IncidentScope.Target)}; {FaultRegion} incidents opened per seed median {Median(pagesPerSeed.Select(p => (double)p).ToList()):0} max {pagesPerSeed.DefaultIfEmpty().Max()}; updated events {updated}; resolved while the fault lasted {early}; unresolved at end {unresolved}; us-east pages {usEast} (vantage incidents naming us-prod-api {usEastVantage})"));
        notes.Add(Invariant($"march-12, evaluations during the fault: finding region:{FaultRegion} {regionMinutes / faultEvaluations:0%}, only target findings {targetMinutes / faultEvaluations:0%}, nothing agreed {quietMinutes / faultEvaluations:0%} (a region: {options.RegionMinTargets} targets in one window, one agreed by {options.MinAgreeingVantages} vantages, the others failing from {options.MinAgreeingVantages})"));
        notes.Add(Invariant($"march-12: {failed:N0} failed runs of {runs.Sum(r => r.Runs):N0}; canary/watch connections reached by the 30-90 s cut: {runs.Sum(r => r.HeldConnectionsCut)} (a per-run connection lives the 40-41 s hold)"));
        return
        [
            "march-12", "LKE Synthetics", Invariant($"{latencies.Count}/{runs.Count}"), Latency(latencies), "-", Scopes(opened),
            resolveTimes.Count == 0 ? $"- ({unresolved} unresolved)" : Invariant($"{Median(resolveTimes):0} / {resolveTimes.Max():0}{(unresolved > 0 ? $" ({unresolved} unresolved)" : "")}"),
        ];
    }

    private static string Scopes(List<IncidentEvent> opened) =>
        Invariant($"{opened.Count(e => e.Incident.Scope == IncidentScope.Region)}/{opened.Count(e => e.Incident.Scope == IncidentScope.Target)}/{opened.Count(e => e.Incident.Scope == IncidentScope.Vantage)}");

    private static string Latency(List<double> minutes) =>
        minutes.Count == 0 ? "-" : Invariant($"{Median(minutes):0.#} / {minutes.Max():0.#}");

    private static double Minutes(DateTimeOffset at) => (at - DetectionSimulation.Start).TotalMinutes;

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void Print(string[] header, List<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        string Line(string[] cells) => "| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))) + " |";
        Console.WriteLine(Line(header));
        Console.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var row in rows)
        {
            Console.WriteLine(Line(row));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
