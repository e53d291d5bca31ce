using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Synthetics.Lab.Certificates;

namespace Synthetics.Benchmarks;

/// <summary>
/// CPU per probe of a one-shot <c>probe --once</c> (the shipped CLI in a fresh process: start-up, config, warm-up, one
/// cycle, results printed) over N HTTPS targets on loopback (the <c>http</c> probe alone: connect, TLS verified against
/// a generated CA, GET, status checked), against a fresh Prometheus blackbox_exporter process asked the same N targets
/// once each (<c>/probe</c>, its <c>http</c> prober with the CA as <c>tls_config.ca_file</c>). The targets are spread over
/// a few server child processes, so neither figure carries a server. Ours is the CLI process's user + sys time (the
/// shell's <c>times</c> for its child); theirs is the exporter's utime + stime from <c>/proc/&lt;pid&gt;/stat</c> after
/// its last answer, start-up included. Prints figures, asserts nothing.
/// </summary>
internal static class SamplerCpuOnceBenchmark
{
    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        var targetCount = arguments.Int("targets", 500);
        var serverCount = arguments.Int("servers", 4);
        var rounds = arguments.Int("rounds", 3);
        var parallel = arguments.Int("exporter-parallel", 8);
        using var dir = new SamplerCpuBenchmark.TempDir();
        using var ca = CertificateAuthority.Create("one-shot bench CA", TimeProvider.System.GetUtcNow());
        using var certificate = ca.IssueServerCertificate(["localhost"], [IPAddress.Loopback], TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddDays(30));
        var pfxPath = Path.Combine(dir.Path, "server.pfx");
        var caPath = Path.Combine(dir.Path, "ca.pem");
        await File.WriteAllBytesAsync(pfxPath, certificate.Export(X509ContentType.Pfx));
        await File.WriteAllTextAsync(caPath, ca.CertificatePem);

        var servers = new List<Process>();
        try
        {
            var ports = new List<int>();
            for (var i = 0; i < serverCount; i++)
            {
                var server = SamplerCpuBenchmark.StartSelf(pfxPath);
                servers.Add(server);
                ports.Add(int.Parse(await server.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("a server child printed no port"), CultureInfo.InvariantCulture));
            }

            var urls = Enumerable.Range(0, targetCount).Select(i => $"https://127.0.0.1:{ports[i % ports.Count]}/t/{i}").ToList();
            var config = Path.Combine(dir.Path, "synthetics.json");
            await File.WriteAllTextAsync(config, Config(urls, caPath));
            Console.WriteLine($"sampler CPU, one shot: `probe --once` over {targetCount} HTTPS targets (http probe) on {serverCount} loopback server child processes, against a fresh blackbox_exporter asked the same {targetCount} targets ({parallel} at a time), {rounds} rounds, {Environment.ProcessorCount} cores");
            for (var round = 1; round <= rounds; round++)
            {
                var ours = await OursAsync(config, targetCount);
                var theirs = await BlackboxAsync(dir.Path, caPath, urls, parallel);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}: ours {ours.CpuMsPerProbe:0.00} ms CPU per probe ({ours.Cpu.TotalSeconds:0.00} s for {ours.Results} results, {ours.Failures} failed), blackbox_exporter {(theirs is { } b ? $"{b.CpuMsPerProbe:0.00} ms CPU per probe ({b.Cpu.TotalSeconds:0.00} s, {b.Failures} failed)" : "not run")}"));
            }
        }
        finally
        {
            foreach (var server in servers)
            {
                server.Kill(entireProcessTree: true);
                server.Dispose();
            }
        }
    }

    private static string Config(List<string> urls, string caPath)
    {
        var targets = new JsonArray();
        for (var i = 0; i < urls.Count; i++)
        {
            targets.Add(new JsonObject
            {
                ["Name"] = $"web-{i:000}",
                ["Kind"] = "Http",
                ["Region"] = "bench",
                ["Url"] = urls[i],
                ["CaFile"] = caPath,
                ["Probes"] = new JsonArray("http"),
            });
        }

        return new JsonObject
        {
            ["Synthetics"] = new JsonObject { ["VantagePoint"] = "bench", ["Targets"] = targets },
        }.ToJsonString();
    }

    /// <summary>One <c>probe --once</c> process: its CPU (user + sys, from the shell that waited for it) and its results.</summary>
    private static async Task<(double CpuMsPerProbe, TimeSpan Cpu, int Results, int Failures)> OursAsync(string config, int probes)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Synthetics.Cli.dll");
        var output = Path.Combine(Path.GetDirectoryName(config)!, "results.jsonl");
        // `times` prints the shell's own and then its children's user and sys time: the second line is the CLI's.
        using var shell = Process.Start(new ProcessStartInfo("/bin/bash")
        {
            ArgumentList = { "-c", "\"$0\" \"$1\" probe --config \"$2\" --once --format json > \"$3\" 2>/dev/null; times", "dotnet", cli, config, output },
            RedirectStandardOutput = true,
        })!;
        var times = await shell.StandardOutput.ReadToEndAsync();
        await shell.WaitForExitAsync();
        var lines = times.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var children = lines[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var cpu = ShellTime(children[0]) + ShellTime(children[1]);
        var results = (await File.ReadAllLinesAsync(output)).Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!).ToList();
        var failures = results.Count(r => r["success"]?.GetValue<bool>() != true);
        return (cpu.TotalMilliseconds / probes, cpu, results.Count, failures);
    }

    /// <summary>bash's <c>times</c> format: <c>1m2.345s</c>.</summary>
    private static TimeSpan ShellTime(string value)
    {
        var m = value.IndexOf('m', StringComparison.Ordinal);
        var minutes = int.Parse(value[..m], CultureInfo.InvariantCulture);
        var seconds = double.Parse(value[(m + 1)..^1], CultureInfo.InvariantCulture);
        return TimeSpan.FromMinutes(minutes) + TimeSpan.FromSeconds(seconds);
    }

    private static Task<(double CpuMsPerProbe, TimeSpan Cpu, int Failures)?> BlackboxAsync(string dir, string caPath, List<string> urls, int parallel) =>
        SamplerCpuBenchmark.WithExporterAsync(dir, caPath, async (exporter, http) =>
        {
            var failures = 0;
            await Parallel.ForEachAsync(urls, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (url, token) =>
            {
                var metrics = await http.GetStringAsync($"probe?module=https_ca&target={Uri.EscapeDataString(url)}", token);
                if (!metrics.Contains("probe_success 1", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref failures);
                }
            });

            var cpu = SamplerCpuBenchmark.ProcessCpu(exporter.Id);
            return (cpu.TotalMilliseconds / urls.Count, cpu, failures);
        });
}
