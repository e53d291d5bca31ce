using Synthetics.Detection;
using Synthetics.Probes;
using Synthetics.Results;

namespace Synthetics.Benchmarks;

/// <summary>
/// One seeded run of a scenario through the real detection chain at the shipped cadence: each vantage runs every probe
/// of every target once per one-minute cycle, each run one new connection that the scenario may stall or reset; each
/// minute an evaluation judges the newest cycle with the ones before it in <see cref="DetectionOptions.Window"/>,
/// against the <see cref="DetectionOptions.BaselineWindow"/> before that, as the evaluator does with stored cycles
/// (<see cref="WindowEvaluator"/> → <see cref="ScopeClassifier"/> → <see cref="IncidentTracker"/>, default
/// <see cref="DetectionOptions"/>); and every <see cref="DetectionOptions.InCycleEvery"/> while a cycle runs, a look at
/// the sampler's samples that ended so far with the recorded cycles of the window
/// (<see cref="Evaluator.JudgeInProgress"/>, as the probe cycle's look does). Timestamps are simulated: no clock is read.
/// </summary>
internal static class DetectionSimulation
{
    public static readonly DateTimeOffset Start = new(2026, 3, 12, 14, 0, 0, TimeSpan.Zero);

    // What a starved instance adds to everything it measures for a minute.
    private const double StarvedMs = 2000;

    /// <summary>Minutes of results before the first evaluation, so the first one has a full baseline.</summary>
    public static int BaselineMinutes(DetectionOptions options) => (int)Math.Round((options.BaselineWindow + options.Window) / DetectionTopology.Cycle) + 2;

    public static DetectionRun Run(DetectionScenario scenario, int seed, int minutes, DetectionOptions options)
    {
        var random = new Random(seed);
        var windowMinutes = (int)Math.Round(options.Window / DetectionTopology.Cycle);
        var baselineMinutes = (int)Math.Round(options.BaselineWindow / DetectionTopology.Cycle);
        var history = new List<List<ProbeResult>>();
        IReadOnlyList<Incident> tracked = [];
        var run = new DetectionRun { Seed = seed, Onset = scenario.HasFault ? scenario.Onset : null };

        for (var minute = -BaselineMinutes(options); minute < minutes; minute++)
        {
            var (results, sampled) = Minute(scenario, minute, random, run);
            history.Add(results);
            if (minute >= 0)
            {
                tracked = Look(minute, sampled, history, tracked, options, run);

                // The cycle that started this minute is stored about 42 s in and judged by the evaluation at second 50.
                List<ProbeResult> window = [.. history.TakeLast(windowMinutes).SelectMany(m => m)];
                List<ProbeResult> baseline = [.. history.SkipLast(windowMinutes).TakeLast(baselineMinutes).SelectMany(m => m)];
                var fresh = DetectionTopology.Vantages.ToDictionary(v => v, _ => At(minute), StringComparer.Ordinal);
                var verdicts = WindowEvaluator.Evaluate(window, baseline, options, fresh, troubledSince: IncidentTracker.TroubledSince(tracked));
                var findings = ScopeClassifier.Classify(verdicts, options, IncidentTracker.RegionsUnderIncident(tracked));
                var now = At(minute + (50.0 / 60));
                (tracked, var events) = IncidentTracker.Advance(tracked, findings, now, options);
                run.Events.AddRange(events);
                run.Findings.Add((minute, findings));
            }

            if (history.Count > windowMinutes + baselineMinutes)
            {
                history.RemoveAt(0);
            }
        }

        run.StillOpen.AddRange(tracked.Where(i => i.IsOpen));
        return run;
    }

    public static DateTimeOffset At(double minute) => Start.AddMinutes(minute);

    /// <summary>
    /// The looks while the minute's cycle runs (it ends about <see cref="CycleEndsSecond"/> s in, when its last sample has
    /// ended or timed out): each sampler run's samples that ended so far, with the recorded cycles of the window before
    /// them, judged as the probe cycle's look judges them; what opens is told with the evaluations' events.
    /// </summary>
    private static IReadOnlyList<Incident> Look(
        int minute, List<SampledRun> sampled, List<List<ProbeResult>> history, IReadOnlyList<Incident> tracked, DetectionOptions options, DetectionRun run)
    {
        if (options.InCycleEvery <= TimeSpan.Zero || sampled.Count == 0)
        {
            return tracked;
        }

        var windowMinutes = (int)Math.Round(options.Window / DetectionTopology.Cycle);
        var baselineMinutes = (int)Math.Round(options.BaselineWindow / DetectionTopology.Cycle);
        // The minute's cycle is not recorded yet: the window's earlier cycles and the baseline before them are.
        List<ProbeResult> recorded = [.. history.SkipLast(1).TakeLast(windowMinutes - 1).SelectMany(m => m)];
        List<ProbeResult> baseline = [.. history.SkipLast(windowMinutes).TakeLast(baselineMinutes).SelectMany(m => m)];
        for (var second = options.InCycleEvery.TotalSeconds; second < CycleEndsSecond; second += options.InCycleEvery.TotalSeconds)
        {
            var lookAt = minute + (second / 60);
            var inProgress = sampled.Select(s => s.SoFar(lookAt)).OfType<ProbeResult>().ToList();
            var fresh = DetectionTopology.Vantages.ToDictionary(
                v => v, v => inProgress.Where(r => r.Vantage == v).Select(r => r.Timestamp).DefaultIfEmpty(DateTimeOffset.MaxValue).Min(), StringComparer.Ordinal);
            (tracked, var events) = Evaluator.JudgeInProgress([.. recorded, .. inProgress], baseline, fresh, tracked, At(lookAt), options);
            run.Events.AddRange(events);
        }

        return tracked;
    }

    // The shipped cycle: sampling from about 1 s for 36 s, the last sample's 10 s timeout ending by 46 s.
    private const double CycleEndsSecond = 46;

    private static (List<ProbeResult> Results, List<SampledRun> Sampled) Minute(DetectionScenario scenario, int minute, Random random, DetectionRun run)
    {
        var results = new List<ProbeResult>();
        var sampled = new List<SampledRun>();
        var cyclesPerMinute = (int)(TimeSpan.FromMinutes(1) / DetectionTopology.Cycle);
        for (var cycle = 0; cycle < cyclesPerMinute; cycle++)
        {
            foreach (var vantage in DetectionTopology.Vantages)
            {
                // A restarting instance stores no cycles, then a cold one that is never judged: both leave no results here.
                if (scenario.Disturbed(DisturbanceKind.Restart, vantage, minute) || scenario.Disturbed(DisturbanceKind.Restart, vantage, minute - 1))
                {
                    continue;
                }

                foreach (var target in DetectionTopology.Targets)
                {
                    foreach (var probe in target.Probes)
                    {
                        // Runs start a few hundred ms into the cycle, as the runner's pacing spreads them.
                        var started = minute + ((cycle * DetectionTopology.Cycle.TotalSeconds) + random.NextDouble()) / 60;
                        var result = Probe(scenario, target, probe, vantage, started, random, run);
                        results.Add(result);
                    }

                    var sampling = minute + ((cycle * DetectionTopology.Cycle.TotalSeconds) + 1) / 60;
                    sampled.Add(Sample(scenario, target, vantage, sampling, newConnections: true, random, run));
                    if (target.Reused)
                    {
                        sampled.Add(Sample(scenario, target, vantage, sampling, newConnections: false, random, run));
                    }
                }
            }
        }

        results.AddRange(sampled.Select(s => s.Final));
        return (results, sampled);
    }

    private static ProbeResult Probe(
        DetectionScenario scenario, DetectionTarget target, DetectionProbeProfile probe, string vantage, double startedMinute, Random random, DetectionRun run)
    {
        var faulted = scenario.Touches(startedMinute, target.Region, vantage);
        var pathLost = scenario.Disturbed(DisturbanceKind.PathLoss, vantage, startedMinute);
        var stall = pathLost ? 1 : (faulted ? scenario.StallShare : 0) + (scenario.NoiseShare / 2);
        var reset = (faulted ? scenario.ResetShare : 0) + (scenario.NoiseShare / 2);
        var draw = random.NextDouble();
        var outcome = draw < stall ? ProbeOutcome.Timeout : draw < stall + reset ? ProbeOutcome.Reset : ProbeOutcome.Ok;
        double duration;

        if (probe.HeldFor is { } held)
        {
            // A held connection is cut at an age of 30–90 s counted from when it was forwarded or from the fault's
            // onset, whichever is later (the lab's rule): a connection that lives only for one run is never that old.
            var cut = faulted && scenario.CutAfter is { } range
                && Math.Max(startedMinute, scenario.FaultStartMinute) * 60 + Uniform(random, range.Min, range.Max).TotalSeconds < startedMinute * 60 + held.TotalSeconds;
            if (cut)
            {
                run.HeldConnectionsCut++;
            }

            // A stall starves the renewals (or the watch's stream) past the renew deadline; a cut ends the stream early.
            var lost = probe.Name == "lease-canary" ? ProbeOutcome.LeaseLost : ProbeOutcome.WatchDropped;
            outcome = outcome == ProbeOutcome.Timeout || cut ? lost : outcome;
            duration = outcome == ProbeOutcome.Reset ? probe.TypicalMs / 100 : held.TotalMilliseconds + Gaussian(random, 30);
        }
        else
        {
            duration = outcome switch
            {
                ProbeOutcome.Timeout => DetectionTopology.ProbeTimeout.TotalMilliseconds,
                ProbeOutcome.Reset => probe.TypicalMs / 2,
                // Latency is log-normal around the typical figure: a long right tail, no negative durations.
                _ => (probe.TypicalMs * Math.Exp(Gaussian(random, 0.2)))
                     + (faulted && DetectionTopology.NewConnectionProbes.Contains(probe.Name) ? scenario.ExtraConnectMs : 0),
            };
        }

        if (scenario.Disturbed(DisturbanceKind.SlowMinute, vantage, startedMinute))
        {
            duration += StarvedMs;
        }

        run.Runs++;
        run.FailedRuns += outcome == ProbeOutcome.Ok ? 0 : 1;
        return new ProbeResult
        {
            Timestamp = At(startedMinute),
            Vantage = vantage,
            Target = target.Name,
            TargetKind = target.Kind,
            Probe = probe.Name,
            Region = target.Region,
            Outcome = outcome,
            DurationMs = Math.Max(1, duration),
        };
    }

    /// <summary>
    /// One disruption sampler run: <see cref="DetectionTopology.SamplesPerCycle"/> requests a second apart, each drawn as a
    /// probe's connection is (a kept-alive connection is touched by the fault only when the fault cuts it, about once a
    /// minute, and then the request on it fails), summed into the result the sampler stores; its samples are kept with
    /// when each ended (a stalled one at its timeout), for the looks while the cycle runs.
    /// </summary>
    private static SampledRun Sample(
        DetectionScenario scenario, DetectionTarget target, string vantage, double startedMinute, bool newConnections, Random random, DetectionRun run)
    {
        var samples = new SimulatedSample[DetectionTopology.SamplesPerCycle];
        for (var i = 0; i < DetectionTopology.SamplesPerCycle; i++)
        {
            var at = startedMinute + (i / 60.0);
            var faulted = scenario.Touches(at, target.Region, vantage);
            var pathLost = scenario.Disturbed(DisturbanceKind.PathLoss, vantage, at);
            var stall = pathLost ? 1 : (faulted && newConnections ? scenario.StallShare : 0) + (scenario.NoiseShare / 2);
            var reset = (faulted ? (newConnections ? scenario.ResetShare : scenario.CutAfter is null ? 0 : 1.0 / 60) : 0) + (scenario.NoiseShare / 2);
            var draw = random.NextDouble();
            if (draw < stall)
            {
                samples[i] = new SimulatedSample(at + DetectionTopology.ProbeTimeout.TotalMinutes, ProbeOutcome.Timeout, 0);
            }
            else if (draw < stall + reset)
            {
                samples[i] = new SimulatedSample(at, ProbeOutcome.Reset, 0);
            }
            else
            {
                // A kept-alive request skips connect and handshake: a fraction of a new connection's time.
                var typical = newConnections ? target.SampleMs : target.SampleMs / 3;
                var latency = (typical * Math.Exp(Gaussian(random, 0.2)))
                              + (faulted && newConnections ? scenario.ExtraConnectMs : 0)
                              + (scenario.Disturbed(DisturbanceKind.SlowMinute, vantage, at) ? StarvedMs : 0);
                samples[i] = new SimulatedSample(at + (latency / 60_000), ProbeOutcome.Ok, latency);
            }
        }

        var sampledRun = new SampledRun(target, vantage, startedMinute, newConnections, samples);
        var final = sampledRun.Final;
        run.Runs += DetectionTopology.SamplesPerCycle;
        run.FailedRuns += (int)final.Details["failures"];
        return sampledRun;
    }

    /// <summary>One sample of a sampler run: when it ended (in simulated minutes), how, and its latency when it succeeded.</summary>
    private readonly record struct SimulatedSample(double EndedMinute, ProbeOutcome Outcome, double LatencyMs);

    /// <summary>A sampler run's samples: the result it stores when it ends, and what it has so far while the cycle runs.</summary>
    private sealed record SampledRun(DetectionTarget Target, string Vantage, double StartedMinute, bool NewConnections, SimulatedSample[] Samples)
    {
        public ProbeResult Final => Summary(Samples);

        /// <summary>The run as the probe cycle stores it at <paramref name="minute"/>: its samples ended by then; null before the first.</summary>
        public ProbeResult? SoFar(double minute)
        {
            var ended = Samples.Where(s => s.EndedMinute <= minute).ToArray();
            if (ended.Length == 0)
            {
                return null;
            }

            var partial = Summary(ended);
            return partial with { Details = new Dictionary<string, object>(partial.Details, StringComparer.Ordinal) { [CycleProgress.PartialDetail] = true } };
        }

        private ProbeResult Summary(SimulatedSample[] samples)
        {
            var timeouts = samples.Count(s => s.Outcome == ProbeOutcome.Timeout);
            var resets = samples.Count(s => s.Outcome == ProbeOutcome.Reset);
            var failures = timeouts + resets;
            var details = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["series"] = NewConnections ? "new" : "reused",
                ["attempts"] = samples.Length,
                ["failures"] = failures,
                ["failures.timeout"] = timeouts,
                ["failures.reset"] = resets,
            };
            if (samples.Where(s => s.Outcome == ProbeOutcome.Ok).Select(s => s.LatencyMs).ToList() is { Count: > 0 } latencies)
            {
                details["totalP50Ms"] = WindowEvaluator.Percentile(latencies, 0.5);
            }

            return new ProbeResult
            {
                Timestamp = At(StartedMinute),
                Vantage = Vantage,
                Target = Target.Name,
                TargetKind = Target.Kind,
                Probe = NewConnections ? "disruption-new" : "disruption-reused",
                Region = Target.Region,
                Outcome = failures == 0 ? ProbeOutcome.Ok : timeouts >= resets ? ProbeOutcome.Timeout : ProbeOutcome.Reset,
                DurationMs = samples.Length * 1000,
                Details = details,
            };
        }
    }

    private static TimeSpan Uniform(Random random, TimeSpan min, TimeSpan max) => min + ((max - min) * random.NextDouble());

    // Box–Muller: the standard library has no normal distribution.
    private static double Gaussian(Random random, double sigma) =>
        sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
