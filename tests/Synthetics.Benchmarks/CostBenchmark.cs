using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Synthetics.Cli.Demo;
using Synthetics.Cli.Hosting;
using Synthetics.Lab.Region;
using Synthetics.Lab.Scenarios;
using Synthetics.Pipeline;
using Synthetics.Storage;
using static System.FormattableString;

namespace Synthetics.Benchmarks;

/// <summary>
/// What the shipped defaults cost per monitored cluster per month, from counts measured on the real pipeline: three
/// vantages (generic hosts running the Function App's cycles on their shipped schedules, as <c>demo</c> does) against
/// the lab's two regions, the lab's targets as a user writes them (<c>--targets discovery</c>: found by discovery
/// instead), everything <c>--time-scale</c> times faster, counts scaled back to
/// the product's clock. Counted: function executions per vantage and function, their durations, table transactions
/// (through <see cref="TableTransactionCounter"/>; a batch is one), stored rows and their billed size, and the
/// Application Insights payloads the real SDK sent to the lab's receiver. Priced with the figures given as options.
/// </summary>
internal static class CostBenchmark
{
    private const double HoursPerMonth = 730;

    public static async Task RunAsync(BenchmarkArguments options)
    {
        var timeScale = options.Double("time-scale", 20);
        var hours = options.Double("hours", 2);
        // Discovered clusters get the canary's code defaults, which a scaled timeline does not shorten (the cycle budget
        // then cuts the hold): settings targets are what a scaled run measures faithfully.
        var discovery = options.String("targets", "settings") == "discovery";
        var memoryGb = options.Double("memory-mb", 2048) / 1024;
        var prices = new CostPrices(
            GbSecond: options.Double("price-gb-s", 0.000026),
            MillionExecutions: options.Double("price-million-executions", 0.40),
            TenThousandTransactions: options.Double("price-10k-transactions", 0.00036),
            GbMonth: options.Double("price-gb-month", 0.045),
            IngestionGb: options.Double("price-ingestion-gb", 2.30),
            StandardTestExecution: options.Double("price-standard-test", 0.0012));

        var time = TimeProvider.System;
        await using var azurite = await AzuriteLauncher.StartAsync(TextWriter.Null, time, CancellationToken.None);
        await using var counter = new TableTransactionCounter(azurite.Port);
        var storage = azurite.ConnectionString.Replace($"127.0.0.1:{azurite.Port}", $"127.0.0.1:{counter.Port}", StringComparison.Ordinal);
        var settings = DemoSettings.For(LabScenarios.Healthy, timeScale);
        await using var lab = await LabRegion.StartAsync(new LabRegionOptions
        {
            Scenario = LabScenarios.Healthy,
            ScenarioOptions = settings.LabScenarioOptions,
            Bystanders = false,
        });
        var directory = Directory.CreateTempSubdirectory("lke-synthetics-cost-").FullName;
        var files = lab.WriteConfig(directory);
        var tablePrefix = "Cost" + Guid.NewGuid().ToString("N")[..10];
        Console.WriteLine(Invariant(
            $"cost: shipped defaults {timeScale:0.#}× faster, {lab.Vantages.Count} vantages, the lab's {lab.Clusters.Count} clusters and {lab.NodeBalancers.Count} NodeBalancers, targets {(discovery ? "found by discovery" : "from settings (discovery off: its timer still runs)")}; measuring {hours:0.#} product hours ({hours * 60 / timeScale:0.#} real minutes) after the first cycles"));

        var observers = lab.Vantages.Select(v => new CostObserver(v, time)).ToList();
        var hosts = lab.Vantages.Select((vantage, i) => PipelineHost.Create(
                discovery ? files.DiscoveryConfig! : files.VantageConfigs[vantage],
                vantage,
                settings.Overrides(storage, tablePrefix, Path.Combine(directory, $"outbox-{vantage}"), lab.IngestionConnectionString, lab.StatusPage.BaseAddress),
                services => services.AddPipelineScheduler().AddSingleton<IPipelineObserver>(observers[i]),
                LogLevel.Error))
            .ToList();
        var started = time.GetUtcNow();
        await Task.WhenAll(hosts.Select(h => h.StartAsync(CancellationToken.None)));

        // The first probe cycle of each process (cold, and the first discovery before it) is left out of the counts.
        while (observers.Any(o => o.Executions.Count(e => e.Function == "ProbeCycle") < 2))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), time);
        }

        var from = time.GetUtcNow();
        var tablesBefore = counter.Snapshot();
        await Task.Delay(TimeSpan.FromHours(hours) / timeScale, time);
        var to = time.GetUtcNow();
        var tables = counter.Snapshot().Minus(tablesBefore);
        await Task.WhenAll(hosts.Select(h => h.StopAsync(CancellationToken.None)));
        foreach (var host in hosts)
        {
            host.Dispose();
        }

        var measuredHours = (to - from).TotalHours * timeScale;
        var sinceStartDays = (to - started).TotalDays * timeScale;
        var executions = observers.SelectMany(o => o.Executions.Where(e => e.EndedAt > from && e.EndedAt <= to).Select(e => (o.Vantage, Execution: e))).ToList();
        var results = executions.Where(e => e.Execution.Function == "ProbeCycle").Max(e => e.Execution.Results);
        var targets = observers.SelectMany(o => o.Targets).Distinct(StringComparer.Ordinal).Count();
        Console.WriteLine(Invariant($"targets: {string.Join(", ", observers.SelectMany(o => o.Targets).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))}"));
        Console.WriteLine("probe results (all vantages, whole run): " + string.Join(", ", observers
            .SelectMany(o => o.Probes)
            .GroupBy(p => p.Key, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Invariant($"{g.Key} {g.Sum(p => p.Value)}"))));

        // Functions: executions and billed seconds (a probe cycle's length is the canary's hold, which scales; the
        // other functions' work does not, so their real seconds are kept as they are).
        Console.WriteLine();
        Console.WriteLine("| function | executions per hour per vantage | seconds per execution (product clock) | billed seconds per hour per vantage |");
        Console.WriteLine("|---|---|---|---|");
        double executionsPerHour = 0;
        double secondsPerHour = 0;
        foreach (var function in new[] { "ProbeCycle", "Evaluate", "Maintenance", "Discover", "Retention" })
        {
            var runs = executions.Where(e => e.Execution.Function == function).ToList();
            var perHour = runs.Count / measuredHours / observers.Count;
            var seconds = runs.Select(r => r.Execution.Duration.TotalSeconds * (function == "ProbeCycle" ? timeScale : 1)).DefaultIfEmpty(0).Average();
            executionsPerHour += perHour * observers.Count;
            secondsPerHour += perHour * seconds * observers.Count;
            Console.WriteLine(Invariant($"| {function} | {perHour:0.##} | {seconds:0.0} | {perHour * seconds:0} |"));
        }

        // Table storage: transactions in the window, capacity from the rows written since the start.
        var stored = await MeasureTablesAsync(azurite.ConnectionString, tablePrefix);
        var transactionsPerHour = tables.Transactions / measuredHours;
        Console.WriteLine();
        Console.WriteLine(Invariant(
            $"table transactions per hour (all vantages): {transactionsPerHour:0} = reads {tables.Reads / measuredHours:0}, writes {tables.Writes / measuredHours:0}, deletes {tables.Deletes / measuredHours:0}, batches {tables.Batches / measuredHours:0} (holding {tables.BatchedOperations / measuredHours:0} entity operations)"));
        Console.WriteLine("| table | rows | billed bytes per row | bytes per day | kept |");
        Console.WriteLine("|---|---|---|---|---|");
        double retainedBytes = 0;
        foreach (var table in stored)
        {
            var growing = table.Name.EndsWith("ByTime", StringComparison.Ordinal) || table.Name.EndsWith("ByTarget", StringComparison.Ordinal)
                || table.Name.EndsWith("Cycles", StringComparison.Ordinal);
            var perDay = growing ? table.Bytes / sinceStartDays : 0;
            var kept = growing ? perDay * new StorageOptions().RetentionDays : table.Bytes;
            retainedBytes += kept;
            Console.WriteLine(Invariant(
                $"| {table.Name[tablePrefix.Length..]} | {table.Rows} | {(table.Rows == 0 ? 0 : table.Bytes / table.Rows):0} | {(growing ? perDay.ToString("0", CultureInfo.InvariantCulture) : "state")} | {kept / 1e6:0.0} MB{(growing ? Invariant($" ({new StorageOptions().RetentionDays} days)") : "")} |"));
        }

        // Application Insights: the decompressed envelopes the SDK sent, by kind.
        var envelopes = lab.Ingestion.Envelopes.Where(e => e.Time > from && e.Time <= to).ToList();
        Console.WriteLine();
        Console.WriteLine("| telemetry | items per hour | bytes per item | bytes per hour |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var kind in envelopes.GroupBy(e => e.BaseType).OrderByDescending(g => g.Count()))
        {
            var bytes = kind.Sum(e => (double)Encoding.UTF8.GetByteCount(e.Json));
            Console.WriteLine(Invariant($"| {kind.Key} | {kind.Count() / measuredHours:0} | {bytes / kind.Count():0} | {bytes / measuredHours:0} |"));
        }

        var ingestionBytesPerHour = envelopes.Sum(e => (double)Encoding.UTF8.GetByteCount(e.Json)) / measuredHours;

        var month = new CostMonth(
            Executions: executionsPerHour * HoursPerMonth,
            GbSeconds: secondsPerHour * HoursPerMonth * memoryGb,
            Transactions: transactionsPerHour * HoursPerMonth,
            RetainedGb: retainedBytes / 1e9,
            IngestedGb: ingestionBytesPerHour * HoursPerMonth / 1e9);
        var standardTests = targets / 1.0 * observers.Count * 60 * HoursPerMonth;
        Console.WriteLine();
        Console.WriteLine(Invariant($"per month ({HoursPerMonth:0} h), {observers.Count} vantages, {lab.Clusters.Count} clusters, {targets} targets, {results} probe results per cycle and vantage:"));
        Console.WriteLine("| item | quantity | price | per month | per cluster |");
        Console.WriteLine("|---|---|---|---|---|");
        var rows = new (string Item, string Quantity, string Price, double Cost)[]
        {
            ("Functions executions", Invariant($"{month.Executions:N0}"), Invariant($"${prices.MillionExecutions:0.######} per million"), month.Executions / 1e6 * prices.MillionExecutions),
            ("Functions execution time", Invariant($"{month.GbSeconds:N0} GB-s ({memoryGb * 1024:0} MB instances)"), Invariant($"${prices.GbSecond:0.#########} per GB-s"), month.GbSeconds * prices.GbSecond),
            ("Table transactions", Invariant($"{month.Transactions:N0}"), Invariant($"${prices.TenThousandTransactions:0.#######} per 10,000"), month.Transactions / 1e4 * prices.TenThousandTransactions),
            ("Table capacity", Invariant($"{month.RetainedGb:0.000} GB"), Invariant($"${prices.GbMonth:0.####} per GB-month"), month.RetainedGb * prices.GbMonth),
            ("Telemetry ingestion", Invariant($"{month.IngestedGb:0.00} GB"), Invariant($"${prices.IngestionGb:0.##} per GB (before any free allowance)"), month.IngestedGb * prices.IngestionGb),
        };
        foreach (var (item, quantity, price, cost) in rows)
        {
            Console.WriteLine(Invariant($"| {item} | {quantity} | {price} | ${cost:0.00} | ${cost / lab.Clusters.Count:0.00} |"));
        }

        var total = rows.Sum(r => r.Cost);
        Console.WriteLine(Invariant($"| **total** | | | **${total:0.00}** | **${total / lab.Clusters.Count:0.00}** |"));
        Console.WriteLine(Invariant(
            $"| standard availability tests, same coverage ({targets} tests × {observers.Count} locations × every minute) | {standardTests:N0} executions | ${prices.StandardTestExecution:0.######} per execution | ${standardTests * prices.StandardTestExecution:0.00} | ${standardTests * prices.StandardTestExecution / lab.Clusters.Count:0.00} |"));
        TryDelete(directory);
    }

    /// <summary>Every table of the run, its rows and their size as the table service bills it.</summary>
    private static async Task<List<(string Name, long Rows, double Bytes)>> MeasureTablesAsync(string connectionString, string prefix)
    {
        var service = new TableServiceClient(connectionString);
        var measured = new List<(string Name, long Rows, double Bytes)>();
        await foreach (var table in service.QueryAsync())
        {
            if (!table.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            long rows = 0;
            double bytes = 0;
            await foreach (var entity in service.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                rows++;
                bytes += EntitySize(entity);
            }

            measured.Add((table.Name, rows, bytes));
        }

        return [.. measured.OrderBy(t => t.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The table service's entity size: 4 bytes + (PartitionKey + RowKey) × 2 + per property 8 + name × 2 + value
    /// (string 4 + chars × 2, binary 4 + bytes, DateTime 8, Guid 16, Int32 4, Int64 and Double 8, Boolean 1).
    /// </summary>
    private static double EntitySize(TableEntity entity)
    {
        double size = 4 + ((entity.PartitionKey.Length + entity.RowKey.Length) * 2);
        foreach (var (name, value) in entity)
        {
            if (name is "PartitionKey" or "RowKey" or "Timestamp" || name.StartsWith("odata.", StringComparison.Ordinal))
            {
                continue;
            }

            size += 8 + (name.Length * 2) + value switch
            {
                string text => 4 + (text.Length * 2),
                byte[] binary => 4 + binary.Length,
                BinaryData binary => 4 + binary.ToMemory().Length,
                DateTimeOffset or DateTime or long or double => 8,
                Guid => 16,
                int => 4,
                bool => 1,
                _ => 8,
            };
        }

        return size;
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

    private sealed record CostPrices(
        double GbSecond, double MillionExecutions, double TenThousandTransactions, double GbMonth, double IngestionGb, double StandardTestExecution);

    private sealed record CostMonth(double Executions, double GbSeconds, double Transactions, double RetainedGb, double IngestedGb);
}
