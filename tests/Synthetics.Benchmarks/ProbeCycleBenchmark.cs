using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Synthetics.Configuration;
using Synthetics.Lab.Certificates;
using Synthetics.Lab.Sockets;
using Synthetics.Probes;
using Synthetics.Results;
using Synthetics.Targets;

namespace Synthetics.Benchmarks;

/// <summary>
/// One probe cycle over N HTTPS targets on loopback (tcp, tls and http probes each: 3N probes), against a server that
/// holds each request for a known delay before the first byte. Reports wall time, CPU per probe, peak memory and
/// the timing error: the probe's ttfb minus the delay the server itself measured between reading the request and
/// writing the first byte (what is left is the probe's own overhead and loopback latency).
/// </summary>
internal static class ProbeCycleBenchmark
{
    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        var targetCount = arguments.Int("targets", 500);
        var concurrency = arguments.Int("concurrency", 64);
        var startsPerSecond = arguments.Int("starts-per-second", 400);
        var runs = arguments.Int("runs", 3);
        var probes = arguments.String("probes", "tcp,tls,http").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

        using var ca = CertificateAuthority.Create("bench CA", TimeProvider.System.GetUtcNow());
        using var certificate = ca.IssueServerCertificate(["localhost"], [IPAddress.Loopback], TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddDays(30));
        var serverDelays = new ConcurrentDictionary<string, double>();
        await using var server = ScriptedServer.Start(async (c, t) =>
        {
            await c.AuthenticateAsync(certificate, t);
            var head = await c.ReadRequestHeadAsync(t);
            if (head is null)
            {
                return;
            }

            var path = head.Split(' ')[1];
            var delayMs = int.Parse(path.Split('/')[^1], CultureInfo.InvariantCulture);
            await Task.Delay(TimeSpan.FromMilliseconds(delayMs), TimeProvider.System, t);
            await c.RespondAsync(200, "ok", t, keepAlive: false);
            serverDelays[path] = Stopwatch.GetElapsedTime(c.RequestReceivedTimestamp, c.FirstByteSentTimestamp).TotalMilliseconds;
        });

        var trusted = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection { ca.Certificate };
        var targets = Enumerable.Range(0, targetCount).Select(i =>
        {
            // Injected delays of 10–50 ms, spread over the targets.
            var path = $"/t/{i}/{10 + (i % 5) * 10}";
            return new Target
            {
                Name = $"web-{i:000}",
                Kind = TargetKind.Http,
                Region = "bench",
                Endpoint = new TargetEndpoint("127.0.0.1", server.Port, UseTls: true),
                Timeout = TimeSpan.FromSeconds(10),
                SlowThreshold = TimeSpan.FromSeconds(5),
                Probes = new HashSet<string>(probes),
                TrustedCertificates = trusted,
                Http = new HttpExpectation(new Uri($"https://127.0.0.1:{server.Port}{path}"), 200, null),
            };
        }).ToList();

        var options = new SyntheticsOptions { VantagePoint = "bench" };
        options.Probing.MaxConcurrency = concurrency;
        options.Probing.MaxStartsPerSecond = startsPerSecond;
        var runner = new ProbeCycleRunner(
            SyntheticsServiceCollectionExtensions.BuiltInProbes(), TimeProvider.System,
            Microsoft.Extensions.Options.Options.Create(options), NullLogger<ProbeCycleRunner>.Instance);

        Console.WriteLine($"probe cycle: {targetCount} HTTPS targets x ({string.Join(", ", probes)}) = {targetCount * probes.Length} probes, concurrency {concurrency}, {(startsPerSecond > 0 ? $"{startsPerSecond} starts/s" : "unpaced")}, {Environment.ProcessorCount} cores");
        Console.WriteLine("the server runs in the same process: CPU and memory figures include it");
        await runner.RunAsync(targets.Take(Math.Min(50, targetCount)).ToList(), CancellationToken.None); // warm-up: JIT, TLS

        for (var run = 1; run <= runs; run++)
        {
            serverDelays.Clear();
            GC.Collect();
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            var report = await runner.RunAsync(targets, CancellationToken.None);
            wall.Stop();
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;

            var errors = report.Results
                .Where(r => r.Probe == "http" && r.Phases.TtfbMs is not null)
                .Select(r => r.Phases.TtfbMs!.Value - serverDelays.GetValueOrDefault(new Uri(targets.First(t => t.Name == r.Target).Http!.Url.ToString()).AbsolutePath, double.NaN))
                .Where(e => !double.IsNaN(e))
                .Order()
                .ToList();
            var failed = report.Results.Count(r => !r.Success);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run}: wall {wall.Elapsed.TotalSeconds:0.000} s | {report.Results.Count} results, {failed} failed | " +
                $"CPU {cpu.TotalMilliseconds / report.Results.Count:0.00} ms/probe | peak working set {process.PeakWorkingSet64 / 1048576.0:0} MB | " +
                $"ttfb error vs server-measured delay: median {Percentile(errors, 0.5):0.000} ms, p99 {Percentile(errors, 0.99):0.000} ms, max {errors.LastOrDefault():0.000} ms ({errors.Count} samples)"));
            if (failed > 0)
            {
                foreach (var group in report.Results.Where(r => !r.Success).GroupBy(r => r.Outcome))
                {
                    Console.WriteLine($"  {group.Count()} x {group.Key.ToContractName()}: {group.First().Message}");
                }
            }
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
}
