using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Synthetics.Lab.Certificates;
using Synthetics.Lab.Kubernetes;
using static System.FormattableString;

namespace Synthetics.Benchmarks;

/// <summary>
/// Does the first cycle of a fresh process measure the target or the runtime's start-up? Fresh <c>probe</c> processes
/// (the shipped probing code, cycles 10× faster) probe a lab control plane on loopback; each process's first cycle is
/// compared, probe and phase by phase, with the later cycles of the same processes. With the warm-up on (the default),
/// the first cycle's phases should match the later ones'; <c>--warm-up off</c> shows what it measured before.
/// </summary>
internal static class FirstCycleBenchmark
{
    private const double TimeScale = 10;
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(60 / TimeScale);

    public static async Task RunAsync(BenchmarkArguments options)
    {
        var processes = options.Int("processes", 5);
        var cycles = options.Int("cycles", 4);
        var warmUp = options.String("warm-up", "on") != "off";
        var authority = CertificateAuthority.Create("first-cycle-ca", TimeProvider.System.GetUtcNow());
        var apiOptions = new LabKubernetesApiOptions();
        apiOptions.Tokens.Add("first-cycle-token");
        await using var api = new LabKubernetesApi(authority, apiOptions);
        await api.StartAsync(CancellationToken.None);
        var directory = Directory.CreateTempSubdirectory("lke-synthetics-first-cycle-").FullName;
        try
        {
            var kubeconfig = Path.Combine(directory, "lab.kubeconfig");
            api.WriteKubeconfig(kubeconfig, "lke-first-cycle", api.BaseAddress, "first-cycle-token");
            var config = Path.Combine(directory, "synthetics.json");
            await File.WriteAllTextAsync(config, new JsonObject
            {
                ["Synthetics"] = new JsonObject
                {
                    ["VantagePoint"] = "bench",
                    ["TimeScale"] = TimeScale,
                    ["Probing"] = new JsonObject { ["WarmUp"] = warmUp },
                    ["Targets"] = new JsonArray
                    {
                        new JsonObject { ["Name"] = "lab-api", ["Kind"] = "KubernetesApi", ["Region"] = "lab", ["Kubeconfig"] = kubeconfig },
                    },
                },
            }.ToJsonString());

            Console.WriteLine(Invariant($"first-cycle: {processes} fresh `probe` processes × {cycles} cycles (shipped probing code, ×{TimeScale}: a cycle every {Period.TotalSeconds:0} s), one lab control plane on loopback, warm-up {(warmUp ? "on" : "off")}"));
            var first = new List<JsonNode>();
            var later = new List<JsonNode>();
            for (var i = 0; i < processes; i++)
            {
                var byCycle = await RunProcessAsync(config, cycles);
                first.AddRange(byCycle[0]);
                later.AddRange(byCycle.Skip(1).SelectMany(c => c));
            }

            Console.WriteLine();
            Console.WriteLine("| probe | measure | first cycle median / max (ms) | later cycles median / max (ms) | first − later, medians (ms) |");
            Console.WriteLine("|---|---|---|---|---|");
            foreach (var (probe, measure) in Measures)
            {
                var a = Values(first, probe, measure);
                var b = Values(later, probe, measure);
                if (a.Count == 0 || b.Count == 0)
                {
                    continue;
                }

                Console.WriteLine(Invariant($"| {probe} | {measure} | {Median(a):0.0} / {a.Max():0.0} | {Median(b):0.0} / {b.Max():0.0} | {Median(a) - Median(b):+0.0;-0.0;0.0} |"));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // The phases and the latency details the detector and the reports read.
    private static readonly (string Probe, string Measure)[] Measures =
    [
        ("dns", "durationMs"), ("tcp", "connectMs"), ("tls", "connectMs"), ("tls", "tlsMs"),
        ("kube-health", "connectMs"), ("kube-health", "tlsMs"), ("kube-health", "ttfbMs"), ("kube-health", "durationMs"),
        ("kube-api", "freshMs"), ("kube-api", "reusedMs"), ("lease-canary", "acquireMs"), ("lease-canary", "renewP50Ms"),
        ("watch", "listMs"),
    ];

    private static List<double> Values(IEnumerable<JsonNode> results, string probe, string measure) =>
        [.. results.Where(r => (string?)r["probe"] == probe)
            .Select(r => r[measure] ?? r["phases"]?[measure] ?? r["details"]?[measure])
            .OfType<JsonNode>()
            .Select(v => v.GetValue<double>())];

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>One fresh process's results, cycle by cycle (a cycle's results are printed together when it ends).</summary>
    private static async Task<List<List<JsonNode>>> RunProcessAsync(string config, int cycles)
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Synthetics.Cli.dll"), "probe", "--config", config, "--format", "json" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        _ = process.StandardError.ReadToEndAsync();
        var byCycle = new List<List<JsonNode>>();
        var starts = new List<DateTimeOffset>();
        while (byCycle.Count <= cycles && await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }

            var result = JsonNode.Parse(line)!;
            var at = DateTimeOffset.Parse((string)result["timestamp"]!, CultureInfo.InvariantCulture);
            // Results of one cycle start within its budget of the cycle's first; the next cycle starts a period later.
            if (starts.Count == 0 || at - starts[^1] > Period / 2)
            {
                starts.Add(at);
                byCycle.Add([]);
            }

            byCycle[^1].Add(result);
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        return byCycle.Take(cycles).ToList();
    }
}
