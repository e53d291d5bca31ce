using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Synthetics.Cli.Demo;
using Synthetics.Configuration;
using Synthetics.Storage;
using static System.FormattableString;

namespace Synthetics.Benchmarks;

/// <summary>
/// Lost instances and a failing table service, end to end: real <c>run</c> processes (the shipped pipeline, 6× faster:
/// a probe cycle every 10 s) on Azurite, probing a slow HTTP backend and a TCP port on loopback. Each run kills the
/// process with SIGKILL half a second into a cycle, after some cycles under a table fault (a proxy answering 503, or
/// holding connections), then starts another process of the same vantage, on the same disk (a restart) or an empty one
/// (a new instance), and counts what reached the tables against the cycles the processes printed. The disk-full run puts
/// the first process's outbox on a full file system (a small tmpfs, filled; mounting it needs root).
/// </summary>
internal static class FaultRunsBenchmark
{
    private const double TimeScale = 6;
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(60 / TimeScale);

    public static async Task RunAsync(BenchmarkArguments options)
    {
        var only = options.String("runs", "sigkill-restart,503-new-instance,503-new-instance-disk-only,slow-table,disk-full,skewed-evaluators")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var after = options.Int("cycles-after", 3);
        var runs = new[]
        {
            new FaultScenario("sigkill-restart", TableFault.None, Before: 3, Faulted: 0, FreshDisk: false, HostStorage: false),
            new FaultScenario("503-new-instance", TableFault.Unavailable, Before: 2, Faulted: 3, FreshDisk: true, HostStorage: true),
            new FaultScenario("503-new-instance-disk-only", TableFault.Unavailable, Before: 2, Faulted: 3, FreshDisk: true, HostStorage: false),
            new FaultScenario("slow-table", TableFault.Slow, Before: 2, Faulted: 3, FreshDisk: false, HostStorage: true),
            new FaultScenario("disk-full", TableFault.Unavailable, Before: 2, Faulted: 3, FreshDisk: true, HostStorage: true) { DiskFull = true },
        }.Where(r => only.Contains(r.Name, StringComparer.Ordinal)).ToList();

        await using var results = await AzuriteLauncher.StartAsync(TextWriter.Null, TimeProvider.System, CancellationToken.None);
        await using var host = await AzuriteLauncher.StartAsync(TextWriter.Null, TimeProvider.System, CancellationToken.None);
        await using var backend = new SlowBackend(TimeSpan.FromSeconds(1));
        Console.WriteLine(Invariant($"fault-runs: `run` processes, shipped pipeline ×{TimeScale} (a cycle every {Period.TotalSeconds:0} s), Azurite, 1 slow HTTP + 1 TCP target on loopback; SIGKILL 0.5 s into a cycle; then {after} cycles of a second process"));
        Console.WriteLine();
        Console.WriteLine("| run | table fault | after the kill | cycles printed | cycles stored | results printed | results stored | duplicates | lost (printed, not stored) | cycles late > 1 s | 503s answered | outbox disk errors logged |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var run in runs)
        {
            var row = await PlayAsync(run, results, host, backend, after);
            Console.WriteLine(row);
        }

        if (only.Contains("skewed-evaluators", StringComparer.Ordinal))
        {
            Console.WriteLine();
            Console.WriteLine("| run | clocks | evaluations | incidents | opened | resolved | events |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            Console.WriteLine(await SkewedEvaluatorsRun.RunAsync(results.ConnectionString));
        }
    }

    private static async Task<string> PlayAsync(FaultScenario run, AzuriteLauncher results, AzuriteLauncher host, SlowBackend backend, int after)
    {
        var directory = Directory.CreateTempSubdirectory($"lke-synthetics-fault-{run.Name}-").FullName;
        await using var proxy = new TableFaultProxy(results.Port);
        var tables = "Fault" + Guid.NewGuid().ToString("N")[..10];
        var proxied = results.ConnectionString.Replace($"127.0.0.1:{results.Port}", $"127.0.0.1:{proxy.Port}", StringComparison.Ordinal);
        using var fullDisk = run.DiskFull ? FullDisk.TryMount(Path.Combine(directory, "full-disk")) : null;
        if (run.DiskFull && fullDisk is null)
        {
            TryDelete(directory);
            return Invariant($"| {run.Name} | not run: mounting a small tmpfs needs root |");
        }

        var first = Config(directory, "first", proxied, run.HostStorage ? host.ConnectionString : null, tables, backend, outboxRoot: fullDisk?.Path);
        var printed = new List<JsonNode>();
        var diskErrors = 0;

        using (var instance = CliProcess.Start(first))
        {
            await instance.WaitForCyclesAsync(run.Before);
            proxy.Fault = run.Fault;
            await instance.WaitForCyclesAsync(run.Before + run.Faulted);
            var last = instance.Cycles[^1];
            var next = StartedAt(last) + Period;
            await DelayUntilAsync(next + TimeSpan.FromSeconds(0.5));
            instance.Kill();
            printed.AddRange(instance.Cycles);
            diskErrors = instance.ErrorLines.Count(l => l.Contains("Outbox cannot write", StringComparison.Ordinal));
            if (instance.ErrorLines.FirstOrDefault(l => l.Contains("Outbox cannot write", StringComparison.Ordinal)) is { } said)
            {
                Console.Error.WriteLine($"{run.Name}: {said}");
            }
        }

        proxy.Fault = TableFault.None;
        var second = run.FreshDisk ? Config(directory, "second", proxied, run.HostStorage ? host.ConnectionString : null, tables, backend) : first;
        using (var instance = CliProcess.Start(second))
        {
            await instance.WaitForCyclesAsync(after);
            // Printed means flushed: killing now takes nothing in flight.
            instance.Kill();
            printed.AddRange(instance.Cycles);
        }

        var options = new SyntheticsOptions
        {
            Storage = new StorageOptions
            {
                ConnectionString = results.ConnectionString,
                ResultsByTimeTable = $"{tables}ByTime",
                ResultsByTargetTable = $"{tables}ByTarget",
                CyclesTable = $"{tables}Cycles",
            },
        };
        var store = new TableResultStore(
            ResultStorageServiceCollectionExtensions.CreateServiceClient(options.Storage),
            Microsoft.Extensions.Options.Options.Create(options),
            TimeProvider.System,
            NullLogger<TableResultStore>.Instance);
        var since = StartedAt(printed[0]).AddMinutes(-1);
        var until = TimeProvider.System.GetUtcNow().AddMinutes(1);
        var storedResults = await store.ReadWindowAsync(since, until, CancellationToken.None);
        var storedCycles = await store.ReadCyclesAsync(since, until, CancellationToken.None);
        var distinct = storedResults.Select(r => (r.Vantage, r.Target, r.Probe, r.Timestamp)).Distinct().Count();
        var lost = 0;
        foreach (var cycle in printed)
        {
            var startedAt = StartedAt(cycle);
            var end = startedAt + TimeSpan.FromMilliseconds((double)cycle["durationMs"]! + 1);
            var stored = storedResults.Count(r => r.Timestamp >= startedAt.AddMilliseconds(-1) && r.Timestamp <= end);
            lost += Math.Max(0, (int)cycle["results"]! - stored);
        }

        var late = printed.Count(c => Lateness(StartedAt(c)) > TimeSpan.FromSeconds(1));
        TryDelete(directory);
        var kill = run.FreshDisk ? "new instance, empty disk" : "restart, same disk";
        var disk = run.DiskFull ? ", outbox disk full" : "";
        var fault = run.Fault switch
        {
            TableFault.Unavailable => Invariant($"503 for {run.Faulted} cycles{(run.HostStorage ? ", host storage" : ", disk only")}{disk}"),
            TableFault.Slow => Invariant($"20 s per connection for {run.Faulted} cycles{(run.HostStorage ? ", host storage" : "")}"),
            _ => "none",
        };
        return Invariant($"| {run.Name} | {fault} | {kill} | {printed.Count} | {storedCycles.Count} | {printed.Sum(c => (int)c["results"]!)} | {storedResults.Count} | {storedResults.Count - distinct} | {lost} | {late} | {proxy.Refused} | {diskErrors} |");
    }

    // Ticks of a schedule on a time scale fall on multiples of the scaled period since the scale's anchor.
    private static TimeSpan Lateness(DateTimeOffset startedAt) =>
        TimeSpan.FromTicks((startedAt - Scheduling.CronSchedule.ScaleAnchor).Ticks % Period.Ticks);

    private static DateTimeOffset StartedAt(JsonNode cycle) =>
        DateTimeOffset.Parse((string)cycle["startedAt"]!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static async Task DelayUntilAsync(DateTimeOffset at)
    {
        var wait = at - TimeProvider.System.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, TimeProvider.System);
        }
    }

    private static string Config(
        string directory, string instance, string storage, string? hostStorage, string tables, SlowBackend backend, string? outboxRoot = null)
    {
        var storageSection = new JsonObject
        {
            ["ConnectionString"] = storage,
            ["ResultsByTimeTable"] = $"{tables}ByTime",
            ["ResultsByTargetTable"] = $"{tables}ByTarget",
            ["CyclesTable"] = $"{tables}Cycles",
            ["IncidentsTable"] = $"{tables}Incidents",
            ["OutboxTable"] = $"{tables}Outbox",
            ["OutboxDirectory"] = Path.Combine(outboxRoot ?? directory, $"outbox-{instance}"),
        };
        if (hostStorage is not null)
        {
            storageSection["OutboxConnectionString"] = hostStorage;
        }

        var config = new JsonObject
        {
            ["Synthetics"] = new JsonObject
            {
                ["VantagePoint"] = "faulty",
                ["TimeScale"] = TimeScale,
                ["Targets"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["Name"] = "slow-web", ["Kind"] = "Http", ["Region"] = "ca-central",
                        ["Url"] = Invariant($"http://127.0.0.1:{backend.Port}/healthz"), ["TimeoutSeconds"] = 30,
                    },
                    new JsonObject { ["Name"] = "db", ["Kind"] = "Tcp", ["Region"] = "ca-central", ["Host"] = "127.0.0.1", ["Port"] = backend.Port },
                },
                ["Storage"] = storageSection,
            },
        };
        var path = Path.Combine(directory, $"config-{instance}.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory.
        }
    }

    private sealed record FaultScenario(string Name, TableFault Fault, int Before, int Faulted, bool FreshDisk, bool HostStorage)
    {
        /// <summary>The first process's outbox directory is on a file system with no space left.</summary>
        public bool DiskFull { get; init; }
    }

    /// <summary>A 256 KiB tmpfs mounted at a directory and filled to the last byte: writes there fail with ENOSPC.</summary>
    private sealed class FullDisk : IDisposable
    {
        private FullDisk(string path) => Path = path;

        public string Path { get; }

        /// <summary>The mounted, full disk; null when this machine does not let the benchmark mount one.</summary>
        public static FullDisk? TryMount(string path)
        {
            Directory.CreateDirectory(path);
            if (!Run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", path))
            {
                return null;
            }

            var disk = new FullDisk(path);
            Directory.CreateDirectory(System.IO.Path.Combine(path, "outbox-first"));
            try
            {
                using var filler = File.OpenWrite(System.IO.Path.Combine(path, "filler"));
                var block = new byte[4096];
                while (true)
                {
                    filler.Write(block);
                    filler.Flush(flushToDisk: true);
                }
            }
            catch (IOException)
            {
                // Full.
            }

            return disk;
        }

        public void Dispose() => Run("umount", Path);

        private static bool Run(string command, params string[] arguments)
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
                process.WaitForExit();
                return process.ExitCode == 0;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return false;
            }
        }
    }

    /// <summary>One <c>run --format json</c> process; its cycle lines as they come.</summary>
    private sealed class CliProcess : IDisposable
    {
        private readonly Process _process;
        private readonly List<JsonNode> _cycles = [];
        private readonly Task _reading;

        private readonly List<string> _errorLines = [];

        private CliProcess(Process process)
        {
            _process = process;
            process.ErrorDataReceived += (_, line) =>
            {
                if (line.Data is { } text)
                {
                    lock (_errorLines)
                    {
                        _errorLines.Add(text);
                    }
                }
            };
            process.BeginErrorReadLine();
            _reading = ReadAsync();
        }

        /// <summary>What the process wrote to standard error (its warnings and errors), line by line.</summary>
        public IReadOnlyList<string> ErrorLines
        {
            get
            {
                lock (_errorLines)
                {
                    return [.. _errorLines];
                }
            }
        }

        public IReadOnlyList<JsonNode> Cycles
        {
            get
            {
                lock (_cycles)
                {
                    return [.. _cycles];
                }
            }
        }

        public static CliProcess Start(string config) => new(Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Synthetics.Cli.dll"), "run", "--config", config, "--format", "json" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        })!);

        public async Task WaitForCyclesAsync(int count)
        {
            var deadline = TimeProvider.System.GetUtcNow() + (Period * (count + 3)) + TimeSpan.FromSeconds(30);
            while (Cycles.Count < count)
            {
                if (_process.HasExited || TimeProvider.System.GetUtcNow() > deadline)
                {
                    throw new InvalidOperationException(Invariant($"`run` printed {Cycles.Count} of {count} cycles (exited: {_process.HasExited})"));
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
            }
        }

        /// <summary>SIGKILL: no shutdown, no flush, no parking; the process's disk stays as it was.</summary>
        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                Kill();
            }

            _reading.Wait();
            _process.Dispose();
        }

        private async Task ReadAsync()
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith('{') && JsonNode.Parse(line) is { } node && (string?)node["type"] == "cycle")
                {
                    lock (_cycles)
                    {
                        _cycles.Add(node);
                    }
                }
            }
        }
    }

    /// <summary>An HTTP/1.1 backend on loopback that answers each request after a delay (keep-alive): cycles that take a while.</summary>
    private sealed class SlowBackend : IAsyncDisposable
    {
        private static readonly byte[] Ok = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok");
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stopping = new();
        private readonly TimeSpan _delay;
        private readonly Task _accepting;

        public SlowBackend(TimeSpan delay)
        {
            _delay = delay;
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _accepting = AcceptAsync();
        }

        public int Port { get; }

        private async Task AcceptAsync()
        {
            while (!_stopping.IsCancellationRequested)
            {
                try
                {
                    var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
                    _ = Task.Run(() => ServeAsync(client));
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    var buffer = new byte[8192];
                    var seen = 0;
                    while (true)
                    {
                        var read = await stream.ReadAsync(buffer.AsMemory(seen), _stopping.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        seen += read;
                        if (buffer.AsSpan(0, seen).IndexOf("\r\n\r\n"u8) < 0 && seen < buffer.Length)
                        {
                            continue;
                        }

                        seen = 0;
                        await Task.Delay(_delay, TimeProvider.System, _stopping.Token);
                        await stream.WriteAsync(Ok, _stopping.Token);
                    }
                }
                catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
                {
                    // The probe closed the connection, or the benchmark ended.
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stopping.CancelAsync();
            _listener.Stop();
            await _accepting;
            _stopping.Dispose();
        }
    }
}
