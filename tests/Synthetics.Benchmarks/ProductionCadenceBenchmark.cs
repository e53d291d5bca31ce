using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Synthetics.Cli.Demo;
using Synthetics.Lab.Region;
using Synthetics.Lab.Scenarios;
using static System.FormattableString;

namespace Synthetics.Benchmarks;

/// <summary>
/// Detection as it ships: the shipped defaults (a probe cycle each minute at second 0, the canary holding 40 s, an
/// evaluation each minute at second 50, a three-minute window), real time, and three vantage points as three separate
/// <c>run</c> processes on one Azurite, the way a user would try it. Each scenario has a lab region of its own, and the
/// scenarios play at once. The configs keep only what a user writes: targets, vantage, storage, the status page.
/// Prints detection latency, incidents opened and false incidents per scenario.
/// </summary>
internal static class ProductionCadenceBenchmark
{
    private const string CaCentral = "provider:ca-central";

    public static async Task RunAsync(BenchmarkArguments options)
    {
        var onset = TimeSpan.FromMinutes(options.Int("onset-minutes", 4));
        var seed = options.Int("seed", new LabRegionOptions().Seed);
        var scenarios = options.String("scenarios", $"{LabScenarios.March12},{LabScenarios.Healthy},{LabScenarios.VantageBlip}")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        await using var azurite = await AzuriteLauncher.StartAsync(TextWriter.Null, TimeProvider.System, CancellationToken.None);
        Console.WriteLine(Invariant($"production-cadence: shipped defaults, real time, 3 `run` processes per scenario on one Azurite; lab seed {seed}; trouble {onset.TotalMinutes:0} min after start"));
        Console.WriteLine(Invariant($"playing {string.Join(", ", scenarios.Select(s => $"{s} ({Duration(s, onset).TotalMinutes:0} min)"))} at once"));

        var rollout = options.FleetChangeRollout();
        Console.WriteLine($"march-12: {options.FleetChangeName}");
        var runs = await Task.WhenAll(scenarios.Select(s => PlayAsync(s, onset, rollout, seed, azurite.ConnectionString)));

        Console.WriteLine();
        Console.WriteLine("| scenario | trouble | cycles per vantage (mean duration) | evaluations that judged | incidents opened | pages | detection (after onset) | regional (after onset) | resolved (after trouble ended) | false pages |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var run in runs)
        {
            Console.WriteLine(run.Row());
        }

        // The customers' view: ca-central's cert-manager (the lab's bystander) losing its leader election, against the page.
        foreach (var run in runs.Where(r => r.Scenario == LabScenarios.March12))
        {
            Console.WriteLine();
            Console.WriteLine($"march-12: {run.Lead()}");
        }

        Console.WriteLine();
        foreach (var run in runs)
        {
            Console.WriteLine(run.LoggedSummary());
        }
    }

    /// <summary>How long a scenario plays: its trouble and long enough after it for an incident to resolve.</summary>
    private static TimeSpan Duration(string scenario, TimeSpan onset) => scenario switch
    {
        LabScenarios.March12 => onset + TimeSpan.FromMinutes(10) + TimeSpan.FromMinutes(7),
        LabScenarios.VantageBlip => onset + TimeSpan.FromMinutes(3) + TimeSpan.FromMinutes(6),
        _ => TimeSpan.FromMinutes(15),
    };

    private static TimeSpan? Trouble(string scenario) => scenario switch
    {
        LabScenarios.March12 => TimeSpan.FromMinutes(10),
        LabScenarios.VantageBlip => TimeSpan.FromMinutes(3),
        _ => null,
    };

    private static async Task<ScenarioRun> PlayAsync(string scenario, TimeSpan onset, TimeSpan? rollout, int seed, string storage)
    {
        var directory = Directory.CreateTempSubdirectory($"lke-synthetics-cadence-{scenario}-").FullName;
        await using var lab = await LabRegion.StartAsync(new LabRegionOptions
        {
            Scenario = scenario,
            ScenarioOptions = new LabScenarioOptions { Onset = onset, FleetChangeRollout = rollout },
            Seed = seed,
        });
        var files = lab.WriteConfig(directory);
        var tables = "Cadence" + Guid.NewGuid().ToString("N")[..10];
        var processes = new List<(string Vantage, Process Process, Task<List<JsonNode>> Lines, Task<string> Errors)>();
        foreach (var (vantage, path) in files.VantageConfigs)
        {
            var config = UserConfig(path, vantage, storage, tables, Path.Combine(directory, $"outbox-{vantage}"), lab.StatusPage.BaseAddress);
            var process = Process.Start(new ProcessStartInfo("dotnet")
            {
                ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Synthetics.Cli.dll"), "run", "--config", config, "--format", "json" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            })!;
            processes.Add((vantage, process, ReadLinesAsync(process.StandardOutput), process.StandardError.ReadToEndAsync()));
        }

        await Task.Delay(Duration(scenario, onset) - (TimeProvider.System.GetUtcNow() - lab.ScenarioStartedAt), TimeProvider.System);
        foreach (var (_, process, _, _) in processes)
        {
            process.Kill(entireProcessTree: true);
        }

        var lines = new Dictionary<string, List<JsonNode>>(StringComparer.Ordinal);
        var logged = new List<string>();
        foreach (var (vantage, process, read, errors) in processes)
        {
            lines[vantage] = await read;
            logged.AddRange(LoggedEvents(await errors));
            await process.WaitForExitAsync();
            process.Dispose();
        }

        TryDelete(directory);
        var onsetAt = lab.ScenarioStartedAt + onset;
        return new ScenarioRun(scenario, onsetAt, Trouble(scenario) is { } t ? onsetAt + t : null, lines)
        {
            Bystander = lab.GetBystander(LabRegion.CaCentral).Events,
            Logged = logged,
        };
    }

    /// <summary>The console logger's headers (<c>warn: Category[EventId]</c>, without the message) in what a <c>run</c> process wrote to standard error.</summary>
    private static IEnumerable<string> LoggedEvents(string errors) =>
        errors.Split('\n')
            .Where(l => l.StartsWith("warn:", StringComparison.Ordinal) || l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal))
            .Select(l => l.IndexOf(']', StringComparison.Ordinal) is var end and > 0 ? l[..(end + 1)] : l.TrimEnd());

    /// <summary>A vantage's config as a user would write it: the lab's targets and vantage, storage and the status page.</summary>
    private static string UserConfig(string labConfig, string vantage, string storage, string tables, string outbox, Uri statusPage)
    {
        var targets = JsonNode.Parse(File.ReadAllText(labConfig))!["Synthetics"]!["Targets"]!.AsArray();
        foreach (var target in targets.OfType<JsonObject>())
        {
            // The lab's hand-written canary timings fit its 15 s cycles; a user keeps the defaults.
            target.Remove("CanaryHoldSeconds");
            target.Remove("ApiCallTimeoutSeconds");
        }

        var config = new JsonObject
        {
            ["Synthetics"] = new JsonObject
            {
                ["VantagePoint"] = vantage,
                ["Targets"] = targets.DeepClone(),
                ["Storage"] = new JsonObject
                {
                    ["ConnectionString"] = storage,
                    ["ResultsByTimeTable"] = $"{tables}ByTime",
                    ["ResultsByTargetTable"] = $"{tables}ByTarget",
                    ["CyclesTable"] = $"{tables}Cycles",
                    ["IncidentsTable"] = $"{tables}Incidents",
                    ["OutboxDirectory"] = outbox,
                },
                ["Maintenance"] = new JsonObject { ["StatusPageUrl"] = statusPage.ToString() },
            },
        };
        var path = Path.Combine(Path.GetDirectoryName(labConfig)!, $"user.{vantage}.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }

    private static async Task<List<JsonNode>> ReadLinesAsync(StreamReader output)
    {
        var lines = new List<JsonNode>();
        while (await output.ReadLineAsync() is { } line)
        {
            if (line.StartsWith('{') && JsonNode.Parse(line) is { } node)
            {
                lines.Add(node);
            }
        }

        return lines;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is not worth failing the benchmark for.
        }
    }

    /// <summary>What the three processes of one scenario printed.</summary>
    private sealed record ScenarioRun(string Scenario, DateTimeOffset Onset, DateTimeOffset? TroubleEnd, Dictionary<string, List<JsonNode>> Lines)
    {
        /// <summary>Warnings and errors the processes logged, one header line each.</summary>
        public List<string> Logged { get; init; } = [];

        /// <summary>What the processes logged, counted per kind: a look, a flush or a table that failed shows here.</summary>
        public string LoggedSummary() => Logged.Count == 0
            ? $"{Scenario}: nothing logged at warning or above"
            : $"{Scenario}: logged " + string.Join(", ", Logged.GroupBy(l => l, StringComparer.Ordinal).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} ×{g.Count()}"));

        /// <summary>The ca-central bystander's elections during the run.</summary>
        public IReadOnlyList<Synthetics.Lab.Kubernetes.BystanderLeaseEvent> Bystander { get; init; } = [];

        /// <summary>The bystander's first loss after onset against the first page of the region's incident.</summary>
        public BystanderLead Lead()
        {
            var page = OfType("incident")
                .Where(i => (string?)i["event"] == "opened" && (string?)i["scope"] != "vantage" && ((string)i["id"]!).StartsWith(CaCentral, StringComparison.Ordinal))
                .Select(i => (DateTimeOffset?)At(i, "at"))
                .FirstOrDefault();
            return BystanderLead.From(Onset, Bystander, page);
        }

        private IEnumerable<JsonNode> OfType(string type) => Lines.Values.SelectMany(l => l).Where(l => (string?)l["type"] == type);

        private static DateTimeOffset At(JsonNode line, string field) =>
            DateTimeOffset.Parse((string)line[field]!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

        public string Row()
        {
            var cycles = Lines.Select(l => l.Value.Where(x => (string?)x["type"] == "cycle").ToList()).ToList();
            var meanDuration = cycles.SelectMany(c => c).Select(c => (double)c["durationMs"]!).DefaultIfEmpty(double.NaN).Average() / 1000;
            var judged = OfType("evaluation").Count(e => !(bool)e["skipped"]!);
            var incidents = OfType("incident").ToList();
            var opened = incidents.Where(i => (string?)i["event"] == "opened").ToList();
            var pages = opened.Where(i => (string?)i["scope"] != "vantage").ToList();
            var expected = Scenario == LabScenarios.March12 ? pages.Where(i => ((string)i["id"]!).StartsWith(CaCentral, StringComparison.Ordinal)).ToList() : [];
            var falsePages = pages.Count - Math.Min(expected.Count, 1);
            var detected = expected.Count > 0 ? Invariant($"{(At(expected[0], "at") - Onset).TotalSeconds:0} s ({expected[0]["scope"]})") : "–";
            var resolvedAt = expected.Count > 0
                ? incidents.Where(i => (string?)i["event"] == "resolved" && (string?)i["id"] == (string?)expected[0]["id"]).Select(i => At(i, "at")).FirstOrDefault()
                : default;
            var regionalAt = expected.Count > 0
                // The earliest: the three processes' lines come one process after another, not in time order.
                ? incidents.Where(i => (string?)i["id"] == (string?)expected[0]["id"] && (string?)i["scope"] == "region").Select(i => At(i, "at")).DefaultIfEmpty().Min()
                : default;
            var regional = regionalAt != default ? Invariant($"{(regionalAt - Onset).TotalSeconds:0} s") : "–";
            var resolved = resolvedAt != default && TroubleEnd is { } end ? Invariant($"{(resolvedAt - end).TotalSeconds:0} s") : "–";
            var trouble = TroubleEnd is { } e2 ? Invariant($"{(e2 - Onset).TotalMinutes:0} min") : "none";
            return Invariant(
                $"| {Scenario} | {trouble} | {cycles.Select(c => c.Count).DefaultIfEmpty(0).Min()}–{cycles.Select(c => c.Count).DefaultIfEmpty(0).Max()} ({meanDuration:0.0} s) | {judged} | {opened.Count}: {string.Join(", ", opened.Select(o => $"{o["id"]} {o["scope"]}"))} | {pages.Count} | {detected} | {regional} | {resolved} | {falsePages} |");
        }
    }
}
