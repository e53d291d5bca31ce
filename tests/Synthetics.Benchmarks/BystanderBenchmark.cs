using Synthetics.Lab.Kubernetes;
using Synthetics.Lab.Region;
using Synthetics.Lab.Scenarios;
using static System.FormattableString;

namespace Synthetics.Benchmarks;

/// <summary>
/// The lab alone, no product: march-12 per lab seed, and what the bystander controller in ca-central (cert-manager's
/// leader election through the control-plane NodeBalancer) lives through: whether and when it loses its election after
/// the onset, why, and when it leads again. Calibrates the fault model against the seed incident, where cert-manager
/// lost its election. Durations in product seconds (real seconds divided by the lab's time scale).
/// </summary>
internal static class BystanderBenchmark
{
    public static async Task RunAsync(BenchmarkArguments options)
    {
        var seeds = options.Int("seeds", 10);
        var firstSeed = options.Int("seed", new LabRegionOptions().Seed);
        var scale = options.Double("time-scale", 0.1);
        var parallel = Math.Max(1, options.Int("parallel", 3));
        var onset = TimeSpan.FromMinutes(1);
        var window = LabScenarios.DefaultWindow(LabScenarios.March12);
        var tail = TimeSpan.FromMinutes(3);
        var rollout = options.FleetChangeRollout();
        Console.WriteLine(Invariant(
            $"bystander: march-12 on the lab, {seeds} seeds from {firstSeed}, lab time scale {scale:0.###}; cert-manager's election (60 s lease, 40 s renew deadline, 15 s retry) in each cluster; onset at {onset.TotalSeconds:0} s, fault {window.TotalMinutes:0} min ({options.FleetChangeName}), {tail.TotalMinutes:0} min after (product seconds)"));
        var rows = new List<string>();
        var lost = 0;
        var seedList = Enumerable.Range(firstSeed, seeds).ToList();
        foreach (var batch in seedList.Chunk(parallel))
        {
            var results = await Task.WhenAll(batch.Select(seed => PlayAsync(seed, scale, onset, onset + window + tail, rollout)));
            foreach (var (seed, row, didLose) in results)
            {
                lost += didLose ? 1 : 0;
                Console.WriteLine(Invariant($"seed {seed}: {row}"));
                rows.Add(row);
            }
        }

        Console.WriteLine(Invariant($"ca-central's bystander lost its election during the fault in {lost} of {seeds} seeds"));
    }

    private static async Task<(int Seed, string Row, bool Lost)> PlayAsync(int seed, double scale, TimeSpan onset, TimeSpan duration, TimeSpan? rollout)
    {
        await using var lab = await LabRegion.StartAsync(new LabRegionOptions
        {
            Scenario = LabScenarios.March12,
            ScenarioOptions = new LabScenarioOptions { Onset = onset * scale, TimeScale = scale, FleetChangeRollout = rollout * scale },
            Seed = seed,
        });
        await Task.Delay(duration * scale, TimeProvider.System);
        var onsetAt = lab.ScenarioStartedAt + (onset * scale);
        var faultEnd = onsetAt + (LabScenarios.DefaultWindow(LabScenarios.March12) * scale);
        var ca = lab.GetBystander(LabRegion.CaCentral);
        var us = lab.GetBystander(LabRegion.UsEast);
        var before = ca.Events.Count(e => e.IsLost && e.At < onsetAt);
        var losses = ca.Events.Where(e => e.IsLost && e.At >= onsetAt).ToList();
        var inCluster = lab.GetCluster(LabRegion.CaCentral).NodeBalancer.GetStatistics().Vantages[BystanderOptions.InClusterVantage];
        string Product(DateTimeOffset at) => Invariant($"{(at - onsetAt).TotalSeconds / scale:0} s");
        var row = losses.Count == 0
            ? "no loss"
            : Invariant($"first lost {Product(losses[0].At)} after onset ({losses[0].Reason}); {losses.Count} losses during and after the fault (last {Product(losses[^1].At)})");
        var regained = ca.Events.LastOrDefault(e => !e.IsLost) is { } last && last.At > (losses.Count > 0 ? losses[^1].At : DateTimeOffset.MaxValue)
            ? Invariant($", leading again {Product(last.At)} after onset") + (last.At > faultEnd ? Invariant($" ({(last.At - faultEnd).TotalSeconds / scale:0} s after the fault ended)") : " (during the fault)")
            : losses.Count > 0 ? ", not leading again" : "";
        row += regained + Invariant(
            $"; before onset {before} losses; us-east {us.Losses.Count} losses; in-cluster connections accepted {inCluster.Accepted}, stalled {inCluster.Stalled}, reset {inCluster.Reset}, cut {inCluster.Cut}");
        return (seed, row, losses.Count > 0);
    }
}
