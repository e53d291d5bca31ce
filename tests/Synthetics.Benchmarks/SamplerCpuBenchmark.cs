using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Synthetics.Configuration;
using Synthetics.Lab.Certificates;
using Synthetics.Lab.Sockets;
using Synthetics.Probes;
using Synthetics.Results;
using Synthetics.Targets;

namespace Synthetics.Benchmarks;

/// <summary>
/// CPU per fresh-connection HTTPS sample (<c>disruption-new</c>: connect, TLS verified against a generated CA, GET) in a
/// warm process, against Prometheus blackbox_exporter's CPU per HTTPS probe of the same loopback endpoint, side by side in
/// one run. The endpoint is served by a child process, so neither figure carries the server's CPU. Ours is this process's
/// CPU time over N samples; blackbox_exporter's is its process's utime + stime from <c>/proc/&lt;pid&gt;/stat</c> over N
/// <c>/probe</c> requests (what a Prometheus scrape of it costs it), paced as our samples are and back to back. Prints
/// figures, asserts nothing.
/// </summary>
internal static class SamplerCpuBenchmark
{
    internal const string Exporter = "/usr/bin/prometheus-blackbox-exporter";

    private const double Interval = 0.01;

    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        if (arguments.String("serve", "") is { Length: > 0 } pfx)
        {
            await ServeAsync(pfx);
            return;
        }

        var samples = arguments.Int("samples", 2000);
        var rounds = arguments.Int("rounds", 3);
        using var dir = new TempDir();
        using var ca = CertificateAuthority.Create("sampler bench CA", TimeProvider.System.GetUtcNow());
        using var certificate = ca.IssueServerCertificate(["localhost"], [IPAddress.Loopback], TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddDays(30));
        var pfxPath = Path.Combine(dir.Path, "server.pfx");
        var caPath = Path.Combine(dir.Path, "ca.pem");
        await File.WriteAllBytesAsync(pfxPath, certificate.Export(X509ContentType.Pfx));
        await File.WriteAllTextAsync(caPath, ca.CertificatePem);

        using var server = StartSelf(pfxPath);
        var port = int.Parse(await server.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the server child printed no port"), CultureInfo.InvariantCulture);
        var url = $"https://127.0.0.1:{port}/healthz";
        Console.WriteLine($"sampler CPU: {samples} fresh-connection HTTPS samples per round, {rounds} rounds, against {url} (served by a child process), {Environment.ProcessorCount} cores");

        try
        {
            for (var round = 1; round <= rounds; round++)
            {
                var ours = await OursAsync(ca, port, samples, warmUp: round == 1);
                var theirs = await BlackboxAsync(dir.Path, caPath, url, samples);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}: ours {ours.CpuMsPerSample:0.00} ms CPU per sample ({ours.Failures} failed), blackbox_exporter {(theirs is { } b ? $"{b.Paced.MsPerProbe:0.00} ms CPU per probe paced as ours ({b.Paced.Failures} failed), {b.BackToBack.MsPerProbe:0.00} back to back ({b.BackToBack.Failures} failed)" : "not run")}"));
                if (theirs is null)
                {
                    break;
                }
            }
        }
        finally
        {
            server.Kill(entireProcessTree: true);
        }
    }

    private static async Task<(double CpuMsPerSample, int Failures)> OursAsync(CertificateAuthority ca, int port, int samples, bool warmUp)
    {
        var target = new Target
        {
            Name = "bench",
            Kind = TargetKind.Http,
            Region = "bench",
            Endpoint = new TargetEndpoint("127.0.0.1", port, UseTls: true),
            Timeout = TimeSpan.FromSeconds(5),
            SlowThreshold = TimeSpan.FromSeconds(5),
            Probes = new HashSet<string> { "disruption-new" },
            TrustedCertificates = [X509CertificateLoader.LoadCertificate(ca.Certificate.RawData)],
            Http = new HttpExpectation(new Uri($"https://127.0.0.1:{port}/healthz"), 200, null),
        };
        // Samples 10 ms apart (about 3 ms of CPU each): a few in flight at once, never a burst the server queues into timeouts.
        var options = new SyntheticsOptions { VantagePoint = "bench" };
        options.Probing.WarmUp = warmUp;
        options.Probing.CycleBudgetSeconds = 300;
        options.Probing.Sampling.IntervalSeconds = Interval;
        var runner = new ProbeCycleRunner(
            SyntheticsServiceCollectionExtensions.BuiltInProbes(), TimeProvider.System,
            Microsoft.Extensions.Options.Options.Create(options), NullLogger<ProbeCycleRunner>.Instance);

        // A warm process: the runtime has compiled and initialised what a sample runs, and recompiled it hot.
        options.Probing.Sampling.PeriodSeconds = 300 * Interval;
        await runner.RunAsync([target], CancellationToken.None);

        options.Probing.Sampling.PeriodSeconds = samples * Interval;
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        var report = await runner.RunAsync([target], CancellationToken.None);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - before;
        var result = report.Results.Single();
        var attempts = Convert.ToInt32(result.Details["attempts"], CultureInfo.InvariantCulture);
        var failures = Convert.ToInt32(result.Details["failures"], CultureInfo.InvariantCulture);
        if (failures > 0)
        {
            Console.WriteLine($"  ours: {result.Message} (a failed sample costs less: this round's figure is low)");
        }

        return (cpu.TotalMilliseconds / attempts, failures);
    }

    /// <summary>
    /// blackbox_exporter's CPU per probe, measured twice in one exporter process: with a probe started every
    /// <see cref="Interval"/> (the pacing of our samples, so both sides sleep and wake alike between requests) and back to
    /// back (the next <c>/probe</c> as soon as the last answered: the exporter's threads never go idle).
    /// </summary>
    private static Task<(ExporterCpu Paced, ExporterCpu BackToBack)?> BlackboxAsync(string dir, string caPath, string url, int probes) =>
        WithExporterAsync(dir, caPath, async (exporter, http) =>
        {
            var probe = $"probe?module=https_ca&target={Uri.EscapeDataString(url)}";

            // Warm it too: its first probes load the CA and set up its runtime.
            for (var i = 0; i < 50; i++)
            {
                await http.GetStringAsync(probe);
            }

            var before = ProcessCpu(exporter.Id);
            var start = TimeProvider.System.GetTimestamp();
            var paced = new List<Task<string>>(probes);
            for (var i = 0; i < probes; i++)
            {
                var due = TimeSpan.FromSeconds(Interval * i) - TimeProvider.System.GetElapsedTime(start);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, TimeProvider.System);
                }

                paced.Add(http.GetStringAsync(probe));
            }

            var pacedFailures = (await Task.WhenAll(paced)).Count(m => !m.Contains("probe_success 1", StringComparison.Ordinal));
            var pacedCpu = ProcessCpu(exporter.Id) - before;

            before = ProcessCpu(exporter.Id);
            var failures = 0;
            for (var i = 0; i < probes; i++)
            {
                var metrics = await http.GetStringAsync(probe);
                if (!metrics.Contains("probe_success 1", StringComparison.Ordinal))
                {
                    failures++;
                }
            }

            var cpu = ProcessCpu(exporter.Id) - before;
            return (new ExporterCpu(pacedCpu.TotalMilliseconds / probes, pacedFailures), new ExporterCpu(cpu.TotalMilliseconds / probes, failures));
        });

    private readonly record struct ExporterCpu(double MsPerProbe, int Failures);

    /// <summary>
    /// Starts blackbox_exporter with an <c>https_ca</c> module trusting <paramref name="caPath"/>, waits until it answers,
    /// runs <paramref name="measure"/> with the process and a client for it, and stops it; null (and a line saying so)
    /// when the exporter is not installed.
    /// </summary>
    internal static async Task<T?> WithExporterAsync<T>(string dir, string caPath, Func<Process, HttpClient, Task<T>> measure)
        where T : struct
    {
        if (!File.Exists(Exporter))
        {
            Console.WriteLine($"blackbox_exporter: {Exporter} is absent (Debian: apt-get install prometheus-blackbox-exporter); its figure is not measured");
            return null;
        }

        var config = Path.Combine(dir, "blackbox.yml");
        await File.WriteAllTextAsync(config, $"""
            modules:
              https_ca:
                prober: http
                timeout: 5s
                http:
                  method: GET
                  preferred_ip_protocol: ip4
                  tls_config:
                    ca_file: {caPath}
            """);
        var listen = FreePort();
        using var exporter = Process.Start(new ProcessStartInfo(Exporter)
        {
            ArgumentList = { $"--config.file={config}", $"--web.listen-address=127.0.0.1:{listen}", "--log.level=error" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        exporter.ErrorDataReceived += (_, _) => { };
        exporter.BeginErrorReadLine();
        exporter.OutputDataReceived += (_, _) => { };
        exporter.BeginOutputReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{listen}/") };
            await WaitUntilUpAsync(http);
            return await measure(exporter, http);
        }
        finally
        {
            exporter.Kill(entireProcessTree: true);
            await exporter.WaitForExitAsync();
        }
    }

    internal static async Task WaitUntilUpAsync(HttpClient http)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await http.GetStringAsync("metrics");
                return;
            }
            catch (HttpRequestException) when (attempt < 100)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
            }
        }
    }

    /// <summary>utime + stime of <paramref name="pid"/>, from <c>/proc/&lt;pid&gt;/stat</c> (fields 14 and 15, in clock ticks).</summary>
    internal static TimeSpan ProcessCpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
    }

    // USER_HZ: 100 on every Linux architecture .NET runs on.
    private const int ClockTicksPerSecond = 100;

    internal static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static Process StartSelf(string pfxPath)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            info.ArgumentList.Add(typeof(SamplerCpuBenchmark).Assembly.Location);
        }

        foreach (var argument in new[] { "sampler-cpu", "--serve", pfxPath })
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info)!;
    }

    /// <summary>The child: an HTTPS server on loopback answering every request of a connection with 200, its port on stdout.</summary>
    private static async Task ServeAsync(string pfxPath)
    {
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(pfxPath, null);
        await using var server = ScriptedServer.Start(async (c, t) =>
        {
            await c.AuthenticateAsync(certificate, t);
            while (await c.ReadRequestHeadAsync(t) is not null)
            {
                await c.RespondAsync(200, "ok", t);
            }
        });
        Console.WriteLine(server.Port.ToString(CultureInfo.InvariantCulture));
        await Console.Out.FlushAsync();
        await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System);
    }

    internal sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("synthetics-sampler-bench-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
