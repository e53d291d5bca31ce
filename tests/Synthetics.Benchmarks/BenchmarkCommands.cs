namespace Synthetics.Benchmarks;

/// <summary>
/// Benchmarks that print figures (speed and memory targets are measured here, never asserted in tests).
/// Run with <c>dotnet run -c Release --project tests/Synthetics.Benchmarks -- &lt;name&gt; [options]</c>.
/// </summary>
internal static class BenchmarkCommands
{
    public static async Task<int> RunAsync(string[] args)
    {
        var name = args.FirstOrDefault() ?? "help";
        var options = BenchmarkArguments.Parse(args.Skip(1));
        switch (name)
        {
            case "probes":
                await ProbeCycleBenchmark.RunAsync(options);
                return 0;
            case "detection":
                DetectionBenchmark.Run(options);
                return 0;
            case "lab-detection":
                await LabDetectionBenchmark.RunAsync(options);
                return 0;
            case "production-cadence":
                await ProductionCadenceBenchmark.RunAsync(options);
                return 0;
            case "storage":
                await StorageBenchmark.RunAsync(options);
                return 0;
            case "evidence":
                await EvidenceBenchmark.RunAsync(options);
                return 0;
            case "fault-runs":
                await FaultRunsBenchmark.RunAsync(options);
                return 0;
            case "sampler-cpu": await SamplerCpuBenchmark.RunAsync(options); return 0;
            case "sampler-cpu-once":
                await SamplerCpuOnceBenchmark.RunAsync(options);
                return 0;
            case "bystander":
                await BystanderBenchmark.RunAsync(options);
                return 0;
            case "cost":
                await CostBenchmark.RunAsync(options);
                return 0;
            case "first-cycle":
                await FirstCycleBenchmark.RunAsync(options);
                return 0;
            default:
                Console.WriteLine("""
                    usage: dotnet run -c Release --project tests/Synthetics.Benchmarks -- <benchmark> [--name value ...]
                      storage  one hour of results against Azurite (--targets 200 --vantages 3 --regions 10 --minutes 60 [--connection-string CS])
                      detection  seeded March-12 / healthy / vantage-blip through the detection chain vs the App Insights availability alert (--seeds 20 --minutes 60)
                      lab-detection  march-12, vantage-blip and healthy on the real lab per lab seed, as demo runs them, on the shipped defaults (--seeds 3 --seed 20240312 --time-scale 1)
                      production-cadence  march-12, healthy and vantage-blip at the shipped defaults in real time, three `run` processes each (--onset-minutes 4 --seed 20240312 --scenarios march-12,healthy,vantage-blip)
                      fault-runs  `run` killed with SIGKILL mid-cycle and restarted, after a table service answering 503 or hanging, or with its outbox disk full; stored vs printed (--runs sigkill-restart,503-new-instance,503-new-instance-disk-only,slow-table,disk-full,skewed-evaluators --cycles-after 3)
                      bystander  march-12 on the lab alone: does cert-manager's leader election in ca-central lose its Lease, when, why (--seeds 10 --seed 20240312 --time-scale 0.1 --parallel 3)
                      cost  the shipped defaults' Azure bill per monitored cluster per month, from counts measured on the lab (--time-scale 20 --hours 2 --targets settings|discovery --memory-mb 2048, prices: --price-gb-s --price-million-executions --price-10k-transactions --price-gb-month --price-ingestion-gb --price-standard-test)
                      first-cycle  a fresh process's first probe cycle against its later ones, phase by phase (--processes 5 --cycles 4 --warm-up on|off)
                      evidence  an incident's evidence report from Azurite: a regional incident seen by three vantages (--fault-minutes 60 --runs 5 [--connection-string CS])
                      sampler-cpu  CPU per fresh-connection HTTPS sample against blackbox_exporter's per HTTPS probe, same loopback endpoint (--samples 2000 --rounds 3)
                      sampler-cpu-once  CPU per probe of a one-shot `probe --once` over N HTTPS targets against a fresh blackbox_exporter's per probe of the same targets (--targets 500 --servers 4 --rounds 3 --exporter-parallel 8)
                      probes   one probe cycle over N HTTPS targets on loopback (--targets 500 --concurrency 64 --starts-per-second 400 --runs 3 --probes tcp,tls,http)
                    """);
                return name == "help" ? 0 : 2;
        }
    }
}
