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
        var healthyDays = arguments.Int("healthy-days", 30);
        var healthySeeds = arguments.Int("healthy-seeds", 3);
        // The fault scenarios' seeds are first-seed, first-seed + 1, ...: one slow seed can be run again alone.
        var firstSeed = arguments.Int("first-seed", 1);
        // Fault scenarios whose name contains one of these (comma-separated, e.g. "1% failing,march-12"); all by default.
        var only = arguments.String("faults", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var options = new DetectionOptions();
        if (arguments.Int("baseline-minutes", 0) is > 0 and var baselineMinutes)
        {
            options.BaselineWindow = TimeSpan.FromMinutes(baselineMinutes);
        }

        // The look inside the cycle, to weigh its bar and interval against the shipped ones.
        options.InCycleAlpha = arguments.Double("in-cycle-alpha", options.InCycleAlpha);
        options.InCycleEvery = TimeSpan.FromSeconds(arguments.Double("in-cycle-every", options.InCycleEvery.TotalSeconds));

        var march12 = DetectionScenario.March12(Onset, FaultMinutes);
        var blip = DetectionScenario.VantageBlip(Onset, BlipMinutes);
        var wall = Stopwatch.StartNew();

        Console.WriteLine(Invariant($"detection: {seeds} seeds x {minutes} min per fault scenario, {healthySeeds} seeds x {healthyDays} days healthy; vantages {string.Join(", ", DetectionTopology.Vantages)}; targets {string.Join(", ", DetectionTopology.Targets.Select(t => $"{t.Name} ({t.Region}, {t.Probes.Count} probes + sampler{(t.Reused ? " new/reused" : " new")})"))}"));
        Console.WriteLine(Invariant($"probes every {DetectionTopology.Cycle.TotalSeconds:0} s, timeout {DetectionTopology.ProbeTimeout.TotalSeconds:0} s, {DetectionTopology.SamplesPerCycle} samples per series per cycle; evaluation every minute on a {options.Window.TotalMinutes:0}-min window and a {options.LongWindow.TotalMinutes:0}-min long window against the target's own rate over the {options.BaselineWindow.TotalMinutes:0} min before; defaults: alpha {options.Alpha:0e0} (at once below {options.ImmediateAlpha:0e0}, from a look every {options.InCycleEvery.TotalSeconds:0} s below {options.InCycleAlpha:0e0}), >= {options.MinFailures} failures and >= {options.DegradedFailureRatio:0.0%}, prior {options.PriorFailureRate:0.0%} x {options.PriorAttempts}, {options.MinAgreeingVantages} vantages agree, {options.RegionMinTargets} targets make a region, open after {options.OpenAfter}, resolve after {options.ResolveAfter}"));
        Console.WriteLine(Invariant($"faults in ca-central from minute {Onset} + a random second, {FaultMinutes} min; march-12: stall {march12.StallShare:0%} + reset {march12.ResetShare:0%} of new connections, cut held ones at 30-90 s; N% failing: half stalled, half reset; +N ms: connect slower, nothing failing; noise {march12.NoiseShare:0.0%} of requests everywhere"));
        Console.WriteLine();

        var rows = new List<string[]>();
        var notes = new List<string>();
        DetectionScenario[] faults =
        [
            DetectionScenario.ConnectionsFailing(0.01, Onset, FaultMinutes),
            DetectionScenario.ConnectionsFailing(0.02, Onset, FaultMinutes),
            DetectionScenario.ConnectionsFailing(0.04, Onset, FaultMinutes),
            DetectionScenario.ConnectionsFailing(0.08, Onset, FaultMinutes),
            DetectionScenario.ConnectionsFailing(0.16, Onset, FaultMinutes),
            march12,
            DetectionScenario.SlowConnect(300, Onset, FaultMinutes),
            DetectionScenario.SlowConnect(700, Onset, FaultMinutes),
        ];
        var march12Runs = new List<DetectionRun>();
        foreach (var fault in faults.Where(f => only.Length == 0 || only.Any(name => f.Name.Contains(name, StringComparison.Ordinal))))
        {
            var runs = Enumerable.Range(firstSeed, seeds)
                .Select(seed => DetectionSimulation.Run(fault with { OnsetSecond = new Random(seed).NextDouble() * 60 }, seed, minutes, options))
                .ToList();
            rows.Add([.. FaultRow(runs, fault, notes), AlertSummary(fault, seeds, minutes)]);
            if (fault == march12)
            {
                march12Runs = runs;
            }
        }

        foreach (var alert in AvailabilityAlerts)
        {
            var fires = Enumerable.Range(1, seeds).Select(seed => alert.Fires(march12, FaultRegion, seed, minutes)).ToList();
            var during = fires.Select(f => f.Where(m => m >= Onset && m <= Onset + FaultMinutes + DetectionAvailabilityAlert.AlertWindow.TotalMinutes).ToList()).ToList();
            var latencies = during.Where(f => f.Count > 0).Select(f => f[0] - Onset).ToList();
            rows.Add(["march-12", alert.Name, Invariant($"{latencies.Count}/{seeds}"), Latency(latencies), "-", Invariant($"{fires.Sum(f => f.Count) - during.Sum(f => f.Count)} outside fault"), "-"]);
        }

        var blipRuns = Runs(blip, seeds, minutes, options);
        var blipOpened = blipRuns.SelectMany(r => r.Events).Where(e => e.Kind == IncidentEventKind.Opened).ToList();
        var blipVantage = blipRuns.Select(r => r.Events.FirstOrDefault(e => e.Kind == IncidentEventKind.Opened && e.Incident.Key == $"vantage:{blip.FaultVantage}")).ToList();
        rows.Add(["vantage-blip", "LKE Synthetics", Invariant($"{blipVantage.Count(e => e is not null)}/{seeds} as vantage health"), Latency([.. blipVantage.OfType<IncidentEvent>().Select(e => Minutes(e.At) - Onset)]), "-", Invariant($"pages {blipOpened.Count(e => e.Incident.Scope != IncidentScope.Vantage)}"), "-"]);

        Print(["scenario", "detector", "fired (seeds)", "latency median / worst (min)", "resolved after fault end median / worst (min)", "other", "AI availability alert on the same fault: fired, latency median (portal default / >=1 location no retries)"], rows);
        Console.WriteLine();
        foreach (var note in notes)
        {
            Console.WriteLine(note);
        }

        Console.WriteLine();
        HealthyDays(healthySeeds, healthyDays, options);
        Console.WriteLine(Invariant($"simulated {march12Runs.Concat(blipRuns).Sum(r => r.Runs):N0} requests (march-12 and blip) in {wall.Elapsed.TotalSeconds:0.0} s"));
    }

    /// <summary>
    /// Healthy days with the monitor's everyday trouble: background noise of 0.1–0.3% per seed, and every day one vantage
    /// losing its path for 2–10 minutes, one slow minute at a vantage and one vantage restarting (no cycles for two
    /// minutes, then a cold one). Every page is a false page.
    /// </summary>
    private static void HealthyDays(int seeds, int days, DetectionOptions options)
    {
        if (seeds <= 0 || days <= 0)
        {
            return;
        }

        var rows = new List<string[]>();
        var minutes = days * 1440;
        foreach (var seed in Enumerable.Range(1, seeds))
        {
            var random = new Random(seed * 31);
            var disturbances = new List<Disturbance>();
            for (var day = 0; day < days; day++)
            {
                string Vantage() => DetectionTopology.Vantages[random.Next(DetectionTopology.Vantages.Length)];
                disturbances.Add(new(DisturbanceKind.PathLoss, Vantage(), (day * 1440) + (random.NextDouble() * 1400), 2 + (random.NextDouble() * 8)));
                disturbances.Add(new(DisturbanceKind.SlowMinute, Vantage(), (day * 1440) + (random.NextDouble() * 1400), 1));
                disturbances.Add(new(DisturbanceKind.Restart, Vantage(), (day * 1440) + (random.NextDouble() * 1400), 2));
            }

            var noise = 0.001 + (random.NextDouble() * 0.002);
            var scenario = DetectionScenario.Healthy with { NoiseShare = noise, Disturbances = disturbances };
            var run = DetectionSimulation.Run(scenario, seed, minutes, options);
            var opened = run.Events.Where(e => e.Kind == IncidentEventKind.Opened).ToList();
            var pages = opened.Count(e => e.Incident.Scope != IncidentScope.Vantage);
            var pathLossPages = opened.Count(e => e.Incident.Scope != IncidentScope.Vantage
                && disturbances.Any(d => d.Kind == DisturbanceKind.PathLoss && Minutes(e.At) >= d.StartMinute && Minutes(e.At) <= d.StartMinute + d.Minutes + 5));
            rows.Add([
                Invariant($"{seed}"), Invariant($"{days}"), Invariant($"{noise:0.00%}"), Invariant($"{disturbances.Count(d => d.Kind == DisturbanceKind.PathLoss)} / {disturbances.Count(d => d.Kind == DisturbanceKind.SlowMinute)} / {disturbances.Count(d => d.Kind == DisturbanceKind.Restart)}"),
                Invariant($"{pages}"), Invariant($"{pathLossPages}"), Invariant($"{opened.Count - pages}"),
            ]);
        }

        Print(["healthy seed", "days", "noise", "path losses / slow minutes / restarts", "pages (false)", "of them during a path loss", "vantage-health incidents (no page)"], rows);
        foreach (var alert in AvailabilityAlerts)
        {
            var fires = Enumerable.Range(1, seeds).Sum(seed => alert.Fires(DetectionScenario.Healthy, FaultRegion, seed, minutes).Count);
            Console.WriteLine(Invariant($"{alert.Name}: {fires} alerts in {seeds * days} healthy days (noise 0.3%)"));
        }
    }

    /// <summary>The standard availability alert on the same fault: the portal's default and the most sensitive one.</summary>
    private static string AlertSummary(DetectionScenario fault, int seeds, int minutes)
    {
        string One(DetectionAvailabilityAlert alert)
        {
            var latencies = Enumerable.Range(1, seeds)
                .Select(seed => alert.Fires(fault, FaultRegion, seed, minutes).Where(m => m >= fault.Onset && m <= fault.FaultEndMinute + DetectionAvailabilityAlert.AlertWindow.TotalMinutes).ToList())
                .Where(f => f.Count > 0)
                .Select(f => f[0] - fault.Onset)
                .ToList();
            return latencies.Count == 0 ? Invariant($"0/{seeds}") : Invariant($"{latencies.Count}/{seeds} {Median(latencies):0.#} min");
        }

        return $"{One(AvailabilityAlerts[0])} / {One(AvailabilityAlerts[2])}";
    }

    private static List<DetectionRun> Runs(DetectionScenario scenario, int seeds, int minutes, DetectionOptions options) =>
        [.. Enumerable.Range(1, seeds).Select(seed => DetectionSimulation.Run(scenario, seed, minutes, options))];

    private static string[] FaultRow(List<DetectionRun> runs, DetectionScenario scenario, List<string> notes)
    {
        var end = scenario.FaultEndMinute;
        var pagedAfter = new List<(int Seed, double Minutes)>();
        var resolveTimes = new List<double>();
        var (unresolved, early, usEast, regional) = (0, 0, 0, 0);
        foreach (var run in runs)
        {
            bool InRegion(Incident i) => i.Region == FaultRegion && i.Scope != IncidentScope.Vantage;
            var pages = run.Events.Where(e => e.Kind == IncidentEventKind.Opened && InRegion(e.Incident)).ToList();
            var onset = run.Onset ?? scenario.Onset;
            if (pages.FirstOrDefault(e => Minutes(e.At) >= onset) is { } first)
            {
                pagedAfter.Add((run.Seed, Minutes(first.At) - onset));
                regional += first.Incident.Scope == IncidentScope.Region ? 1 : 0;
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
        }

        var latencies = pagedAfter.Select(p => p.Minutes).ToList();
        var tail = pagedAfter.OrderByDescending(s => s.Minutes).Take(3).Select(s => Invariant($"{s.Minutes:0.#} (seed {s.Seed})"));
        notes.Add(Invariant($"{scenario.Name}: page after onset p90 {(latencies.Count == 0 ? "-" : Invariant($"{WindowEvaluator.Percentile(latencies, 0.9):0.#}"))} min, slowest {string.Join(", ", tail)}; first page regional in {regional} of {latencies.Count}; resolved while the fault lasted {early}; unresolved at end {unresolved}; us-east pages {usEast}; {runs.Sum(r => r.FailedRuns):N0} failed requests of {runs.Sum(r => r.Runs):N0}"));
        return
        [
            scenario.Name, "LKE Synthetics", Invariant($"{latencies.Count}/{runs.Count}"), Latency(latencies),
            resolveTimes.Count == 0 ? $"- ({unresolved} unresolved)" : Invariant($"{Median(resolveTimes):0.#} / {resolveTimes.Max():0.#}{(unresolved > 0 ? $" ({unresolved} unresolved)" : "")}"),
            Invariant($"{runs.Sum(r => r.Events.Count(e => e.Kind == IncidentEventKind.Opened && e.Incident.Region == FaultRegion && e.Incident.Scope != IncidentScope.Vantage))} pages"),
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
