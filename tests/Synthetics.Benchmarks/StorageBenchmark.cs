using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Synthetics.Configuration;
using Synthetics.Detection;
using Synthetics.Results;
using Synthetics.Storage;

namespace Synthetics.Benchmarks;

/// <summary>
/// An hour and more of results against Azurite (started here from the repository's node_modules, in memory, unless
/// --connection-string is given): targets × vantages × 6 probes every minute, written the way the outbox writes them
/// (each vantage's cycle as one batch with its cycle record). Reports writes per second, entities per transaction, the
/// evaluator's read (its window and baseline, everything: the first evaluation of a process reads it all, the later ones
/// only the cycles stored since), an evidence read (one target, the whole hour) and the transactions and capacity a
/// month per target that the key design costs.
/// </summary>
internal static class StorageBenchmark
{
    private static readonly string[] Probes = ["dns", "tcp", "tls", "http", "kube-health", "kube-api"];

    // What an evaluation reads every minute on the shipped defaults: the window and the baseline before it.
    private static readonly double EvaluatorReadMinutes = ReadMinutes(new DetectionOptions());

    private static double ReadMinutes(DetectionOptions defaults) => (defaults.BaselineWindow + defaults.Window).TotalMinutes;

    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        var targetCount = arguments.Int("targets", 200);
        var vantageCount = arguments.Int("vantages", 3);
        var regionCount = arguments.Int("regions", 10);
        var minutes = arguments.Int("minutes", (int)EvaluatorReadMinutes + 2);
        var connectionString = arguments.String("connection-string", "");
        using var azurite = connectionString.Length == 0 ? await LocalAzurite.StartAsync() : null;
        connectionString = azurite?.ConnectionString ?? connectionString;

        var suffix = Guid.NewGuid().ToString("N")[..8];
        var options = new SyntheticsOptions
        {
            Storage = new StorageOptions
            {
                ConnectionString = connectionString,
                ResultsByTimeTable = "BenchByMinute" + suffix,
                ResultsByTargetTable = "BenchByTarget" + suffix,
                CyclesTable = "BenchCycles" + suffix,
                RequestTimeoutSeconds = 60,
            },
        };
        var store = new TableResultStore(
            ResultStorageServiceCollectionExtensions.CreateServiceClient(options.Storage),
            Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, NullLogger<TableResultStore>.Instance);
        var start = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        var vantages = Enumerable.Range(0, vantageCount).Select(v => $"vantage-{v}").ToArray();
        var perCycle = targetCount * Probes.Length;
        Console.WriteLine($"storage: {minutes} min x {vantageCount} vantages x {targetCount} targets ({regionCount} regions) x {Probes.Length} probes = {minutes * vantageCount * perCycle:N0} results, {Environment.ProcessorCount} cores, {(azurite is null ? "given table service" : "Azurite in memory")}");

        await store.WriteAsync([Result(start.AddDays(-1), "warm-up", "warm", 0, "x")], CancellationToken.None); // tables, connections, JIT
        var entities = 0;
        var transactions = 0;
        var batchMs = new List<double>();
        var wall = Stopwatch.StartNew();
        for (var minute = 0; minute < minutes; minute++)
        {
            // The vantages flush at about the same time, as they do in Azure.
            var timed = await Task.WhenAll(vantages.Select(async vantage =>
            {
                var one = Stopwatch.StartNew();
                var report = await WriteCycleAsync(store, start.AddMinutes(minute), vantage, targetCount, regionCount);
                return (report, one.Elapsed.TotalMilliseconds);
            }));
            foreach (var (report, ms) in timed)
            {
                entities += report.Entities;
                transactions += report.Transactions;
                batchMs.Add(ms);
            }
        }

        wall.Stop();
        batchMs.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"write: {entities:N0} entities (both tables) in {wall.Elapsed.TotalSeconds:0.0} s = {entities / wall.Elapsed.TotalSeconds:N0} entities/s | {transactions:N0} transactions, {(double)entities / transactions:0.0} entities/transaction | one cycle batch ({perCycle} results): median {Percentile(batchMs, 0.5):0} ms, p95 {Percentile(batchMs, 0.95):0} ms"));

        var end = start.AddMinutes(minutes);
        var read = Math.Min(minutes, EvaluatorReadMinutes);
        // The evaluator keeps what it read per stored cycle: its first evaluation reads the whole range, each later one
        // the cycles stored since (one minute of every vantage), as the pipeline does every minute.
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var cache = new CycleResultCache(store);
        var (coldMs, coldCount, coldPages) = await TimeReadsAsync(store, () => cache.ReadWindowAsync(end.AddMinutes(-read), end, CancellationToken.None), runs: 1);
        var heldBytes = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        GC.KeepAlive(cache);

        var (wholeMs, wholeCount, wholePages) = await TimeReadsAsync(store, () => store.ReadWindowAsync(end.AddMinutes(-read), end, CancellationToken.None), runs: 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"the whole read (last {read:0} min: the shipped window and baseline, all targets and vantages): {wholeCount:N0} results, {wholePages} pages, {wholeMs[0]:0} ms and {wholeMs[^1]:0} ms"));

        var warmMs = new List<double>();
        var warmPages = 0L;
        var warmCount = 0;
        const int warmMinutes = 5;
        for (var minute = minutes; minute < minutes + warmMinutes; minute++)
        {
            await Task.WhenAll(vantages.Select(vantage => WriteCycleAsync(store, start.AddMinutes(minute), vantage, targetCount, regionCount)));
            var until = start.AddMinutes(minute + 1);
            var (ms, count, pages) = await TimeReadsAsync(store, () => cache.ReadWindowAsync(until.AddMinutes(-read), until, CancellationToken.None), runs: 1);
            warmMs.Add(ms[0]);
            warmPages += pages;
            warmCount = count;
        }

        warmMs.Sort();
        var evaluatorPages = (double)warmPages / warmMinutes;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"evaluator read, first evaluation of a process: {coldCount:N0} results, {coldPages} pages (cycle records included), {coldMs[0]:0} ms; {cache.CyclesHeld} cycles, {heldBytes / 1e6:0} MB held between evaluations"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"evaluator read, every later minute ({warmMinutes} minutes): {warmCount:N0} results, {evaluatorPages:0.0} pages, median {warmMs[warmMs.Count / 2]:0} ms (min {warmMs[0]:0}, max {warmMs[^1]:0})"));
        var (evidenceMs, evidenceCount, evidencePages) = await TimeReadsAsync(store, () => store.ReadTargetAsync("region-3", "target-013", start, end, CancellationToken.None));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"evidence read (one target, {minutes} min): {evidenceCount:N0} results, {evidencePages} pages, median {evidenceMs[evidenceMs.Count / 2]:0} ms (min {evidenceMs[0]:0}, max {evidenceMs[^1]:0})"));

        // A month is 43,200 one-minute cycles per vantage. Writes scale with the run above; the evaluator reads its
        // window once a minute (one evaluator: DESIGN §1); retention deletes each entity once, 100 per transaction,
        // after a keys-only query of 1000 per page.
        const double cyclesPerMonth = 30 * 24 * 60;
        var writesPerTargetMonth = (double)transactions / (minutes * targetCount) * cyclesPerMonth;
        var evaluatorPerTargetMonth = evaluatorPages * cyclesPerMonth / targetCount;
        var entitiesPerTargetMonth = (double)entities / (minutes * targetCount) * cyclesPerMonth;
        var retentionPerTargetMonth = entitiesPerTargetMonth / 100 + entitiesPerTargetMonth / 1000;
        var total = writesPerTargetMonth + evaluatorPerTargetMonth + retentionPerTargetMonth;
        var entityBytes = EstimatedEntityBytes(Cycle(start, "vantage-0", 1, 1));
        var gigabytes = entitiesPerTargetMonth * entityBytes / 1e9; // at 30 days' retention
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per target per month: writes {writesPerTargetMonth:N0} + evaluator reads {evaluatorPerTargetMonth:N0} + retention {retentionPerTargetMonth:N0} = {total:N0} transactions " +
            $"(${total / 10_000 * 0.00036:0.0000} at $0.00036 per 10,000); capacity at 30 days' retention ≈ {gigabytes:0.00} GB (~{entityBytes:0} B/entity; ${gigabytes * 0.045:0.000} at $0.045/GB-month)"));
    }

    private static async Task<StoreWriteReport> WriteCycleAsync(TableResultStore store, DateTimeOffset minute, string vantage, int targets, int regions)
    {
        var results = Cycle(minute, vantage, targets, regions);
        var record = new CycleRecord(vantage, minute, TimeSpan.FromSeconds(45), results.Count, 0);
        return await store.WriteCycleAsync(record, results, CancellationToken.None);
    }

    private static async Task<(List<double> Ms, int Count, long Pages)> TimeReadsAsync(TableResultStore store, Func<Task<IReadOnlyList<ProbeResult>>> read, int runs = 5)
    {
        var times = new List<double>();
        var count = 0;
        var pagesBefore = store.PagesRead;
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            count = (await read()).Count;
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return (times, count, (store.PagesRead - pagesBefore) / runs);
    }

    private static List<ProbeResult> Cycle(DateTimeOffset minute, string vantage, int targets, int regions)
    {
        var results = new List<ProbeResult>(targets * Probes.Length);
        for (var t = 0; t < targets; t++)
        {
            for (var p = 0; p < Probes.Length; p++)
            {
                // Starts paced over the first seconds of the minute, as the cycle runner paces them.
                var at = minute.AddMilliseconds(((t * Probes.Length) + p) * 2.5 + 3);
                results.Add(Result(at, $"target-{t:000}", Probes[p], t % regions, vantage));
            }
        }

        return results;
    }

    private static ProbeResult Result(DateTimeOffset at, string target, string probe, int region, string vantage) => new()
    {
        Timestamp = at,
        Vantage = vantage,
        Target = target,
        TargetKind = "KubernetesApi",
        Probe = probe,
        Region = $"region-{region}",
        Outcome = ProbeOutcome.Ok,
        DurationMs = 23.456,
        Phases = new ProbePhases { DnsMs = 1.2, ConnectMs = 3.4, TlsMs = probe is "tls" or "http" ? 8.9 : null, TtfbMs = probe == "http" ? 10.1 : null },
        StatusCode = probe == "http" ? 200 : null,
        RemoteAddress = "203.0.113.10:443",
        Details = new Dictionary<string, object> { ["label.cluster"] = "ca-prod", ["certDaysLeft"] = 61 },
    };

    // The billed size of an entity: keys and property names and values as UTF-16, plus the service's fixed overhead (per Azure's sizing guidance).
    private static double EstimatedEntityBytes(List<ProbeResult> sample) => sample
        .Select(StoredResult.From)
        .Select(s => s.ToByTimeEntity())
        .Average(e => 4 + (e.PartitionKey.Length + e.RowKey.Length) * 2 + e.Sum(p => 8 + p.Key.Length * 2 + (p.Value is string v ? v.Length * 2 + 4 : 8)));

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];

    /// <summary>Azurite from the repository's node_modules (run <c>npm ci</c> at the root first), on a free loopback port.</summary>
    private sealed class LocalAzurite : IDisposable
    {
        private readonly Process _process;

        private LocalAzurite(Process process, int port)
        {
            _process = process;
            ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
        }

        public string ConnectionString { get; }

        public static async Task<LocalAzurite> StartAsync()
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Synthetics.sln")))
            {
                root = root.Parent;
            }

            var script = Path.Combine(root?.FullName ?? ".", "node_modules", "azurite", "dist", "src", "table", "main.js");
            if (!File.Exists(script))
            {
                throw new InvalidOperationException($"{script} not found: run `npm ci` at the repository root first");
            }

            int port;
            using (var listener = new TcpListener(IPAddress.Loopback, 0))
            {
                listener.Start();
                port = ((IPEndPoint)listener.LocalEndpoint).Port;
            }

            var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
            foreach (var argument in new[] { script, "--tableHost", "127.0.0.1", "--tablePort", port.ToString(CultureInfo.InvariantCulture), "--inMemoryPersistence", "--skipApiVersionCheck", "--silent", "--disableTelemetry" })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            for (var attempt = 0; attempt < 300; attempt++)
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port);
                    return new LocalAzurite(process, port);
                }
                catch (SocketException)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
                }
            }

            process.Kill(entireProcessTree: true);
            throw new TimeoutException("Azurite did not start");
        }

        public void Dispose()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
            _process.Dispose();
        }
    }
}
