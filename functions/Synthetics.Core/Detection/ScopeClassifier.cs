using System.Globalization;
using Synthetics.Results;

namespace Synthetics.Detection;

/// <summary>
/// Places what the verdicts show: several vantage points agreeing on a target → the provider's side (the target);
/// several such targets in one region → one regional finding; one vantage alone → that vantage's health; a vantage
/// that fails everything it probes, in every region at once → its own path, whoever else reports; a vantage with no
/// results while others report → the monitor's own problem, also vantage health.
/// </summary>
public static class ScopeClassifier
{
    /// <param name="verdicts">This window's verdicts.</param>
    /// <param name="options">Thresholds.</param>
    /// <param name="regionsUnderIncident">Regions with an open provider-side incident: a lone bad verdict there is that
    /// incident seen from one vantage, not the vantage's own trouble.</param>
    /// <param name="atOnceBelow">The bar below which a provider-side finding is <see cref="Finding.Overwhelming"/>:
    /// <see cref="DetectionOptions.ImmediateAlpha"/> unless given (a look inside the cycle gives
    /// <see cref="DetectionOptions.InCycleAlpha"/>).</param>
    public static IReadOnlyList<Finding> Classify(
        IReadOnlyCollection<VantageVerdict> verdicts, DetectionOptions options, IReadOnlySet<string>? regionsUnderIncident = null, double? atOnceBelow = null)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(options);
        var immediateAlpha = atOnceBelow ?? options.ImmediateAlpha;
        var findings = new List<Finding>();
        var providerSide = new List<(string Target, string Region, List<VantageVerdict> Bad)>();
        var overwhelming = new HashSet<string>(StringComparer.Ordinal);
        var overLongWindow = new HashSet<string>(StringComparer.Ordinal);
        var reportingByRegion = new Dictionary<string, List<VantageVerdict>>(StringComparer.Ordinal);
        var loneBad = new List<VantageVerdict>();
        var slowEverywhere = SlowEverywhere(verdicts, options);
        var failingEverywhere = FailingEverywhere(verdicts);

        foreach (var target in verdicts.GroupBy(v => v.Target, StringComparer.Ordinal))
        {
            var reporting = target.Where(v => v.State != HealthState.NoData).ToList();
            var failing = reporting.Where(v => v.HasFailures).ToList();
            if (failing.Count == 0)
            {
                continue;
            }

            // A vantage that reaches nothing anywhere lost its own path: its view is no evidence about any target.
            loneBad.AddRange(reporting.Where(v => failingEverywhere.Contains(v.Vantage)));
            reporting.RemoveAll(v => failingEverywhere.Contains(v.Vantage));
            if (reporting.Count == 0)
            {
                continue;
            }

            if (!reportingByRegion.TryGetValue(reporting[0].Region, out var regional))
            {
                reportingByRegion[reporting[0].Region] = regional = [];
            }

            regional.AddRange(reporting);

            failing = [.. reporting.Where(v => v.HasFailures)];
            if (failing.Count == 0)
            {
                continue;
            }

            var sustaining = regionsUnderIncident?.Contains(failing[0].Region) == true;
            var evidence = Evidence.Of(reporting, options);
            if (ProviderSide(reporting, evidence, options, sustaining, slowEverywhere) is { Count: > 0 } agreed)
            {
                providerSide.Add((target.Key, agreed[0].Region, agreed));
                if (!sustaining && evidence.Agreed && evidence.InWindow(immediateAlpha))
                {
                    overwhelming.Add(agreed[0].Region);
                }

                if (!sustaining && evidence.Agreed && evidence.OverLongWindow())
                {
                    overLongWindow.Add(agreed[0].Region);
                }
            }
            else
            {
                loneBad.AddRange(failing.Where(v => v.IsBad));
            }
        }

        // A fleet change reaches every target of a region, each thinly: the region's requests pooled over its targets can
        // be beyond chance when no single target is yet. Then every target failing from as many vantages as an agreement
        // needs is that trouble.
        foreach (var (region, reporting) in reportingByRegion)
        {
            var evidence = Evidence.Of(reporting, options);
            if (regionsUnderIncident?.Contains(region) == true)
            {
                // An open incident stays while the region's pooled failures are still beyond chance at the lower bar, even
                // when no single target's are: a thin fault spreads over the region's targets.
                if (!providerSide.Any(p => p.Region == region) && evidence.Agreed && evidence.Sustained())
                {
                    providerSide.AddRange(reporting.Where(v => v.FailedAttempts > 0)
                        .GroupBy(v => v.Target, StringComparer.Ordinal)
                        .Select(t => (t.Key, region, t.ToList())));
                }

                continue;
            }

            // The region's requests pooled over its targets, from as many vantages as an agreement needs.
            var immediate = evidence.Agreed && evidence.InWindow(immediateAlpha);
            var overLong = evidence.Agreed && evidence.OverLongWindow();
            if (!immediate && !overLong && !(evidence.Agreed && evidence.InWindow(options.Alpha)))
            {
                continue;
            }

            var agreed = providerSide.Any(p => p.Region == region);
            var members = Corroborating(reporting, region, [], options).ToList();
            if (!agreed && members.Count >= options.RegionMinTargets)
            {
                providerSide.AddRange(members.Select(m => (m.Target, region, m.Failing)));
            }

            if (agreed || members.Count >= options.RegionMinTargets)
            {
                if (immediate)
                {
                    overwhelming.Add(region);
                }

                if (overLong)
                {
                    overLongWindow.Add(region);
                }
            }
        }

        // The provider's side of a region is one key whatever the number of targets, so a problem that shows on one target
        // one minute and on two the next stays one candidate, one incident.
        foreach (var region in providerSide.GroupBy(p => p.Region, StringComparer.Ordinal))
        {
            var members = region.ToList();
            members.AddRange(Corroborating(verdicts, region.Key, members.Select(m => m.Target), options)
                .Select(c => (c.Target, region.Key, c.Failing)));
            var scope = members.Count >= options.RegionMinTargets ? IncidentScope.Region : IncidentScope.Target;
            var finding = Build(scope, ProviderKey(region.Key), region.Key, [.. members.SelectMany(m => m.Bad)]);
            findings.Add(finding with { Overwhelming = overwhelming.Contains(region.Key), OverLongWindow = overLongWindow.Contains(region.Key) });
        }

        var providerRegions = providerSide.Select(p => p.Region).Concat(regionsUnderIncident ?? new HashSet<string>()).ToHashSet(StringComparer.Ordinal);
        loneBad.RemoveAll(v => providerRegions.Contains(v.Region));

        foreach (var vantage in loneBad.GroupBy(v => v.Vantage, StringComparer.Ordinal))
        {
            var regions = vantage.Select(v => v.Region).Distinct(StringComparer.Ordinal).ToList();
            findings.Add(Build(IncidentScope.Vantage, $"vantage:{vantage.Key}", regions.Count == 1 ? regions[0] : null, [.. vantage]));
        }

        var anyReporting = verdicts.Any(v => v.State != HealthState.NoData);
        foreach (var silent in verdicts.GroupBy(v => v.Vantage, StringComparer.Ordinal).Where(g => anyReporting && g.All(v => v.State == HealthState.NoData)))
        {
            findings.RemoveAll(f => f.Key == $"vantage:{silent.Key}");
            findings.Add(new Finding(
                IncidentScope.Vantage, $"vantage:{silent.Key}", null,
                [.. silent.Select(v => v.Target).Order(StringComparer.Ordinal)], [silent.Key], HealthState.Down, null,
                new Dictionary<ProbeOutcome, int>(), [], $"vantage {silent.Key} stopped reporting while others report"));
        }

        return [.. findings.OrderBy(f => f.Key, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Vantages whose every view fails, toward every target of every region they probe, when they probe two regions or
    /// more. A provider's trouble is regional and partial; a vantage that reaches nothing anywhere lost its own network
    /// path (or its instance is broken), and that holds whether the other vantages report or are silent: with two
    /// vantages down and the third cut off, nothing it measures is evidence against the provider. (With every vantage in
    /// that state nothing is provider-side either: the "no target answers" watchdog pages for a blind monitor.)
    /// </summary>
    private static HashSet<string> FailingEverywhere(IEnumerable<VantageVerdict> verdicts) =>
        verdicts.Where(v => v.State != HealthState.NoData)
            .GroupBy(v => v.Vantage, StringComparer.Ordinal)
            .Where(vantage => vantage.Select(v => v.Region).Distinct(StringComparer.Ordinal).Count() >= 2
                              && vantage.All(v => v.IsBad && v.FailedAttempts > 0))
            .Select(vantage => vantage.Key)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Vantages slow (<see cref="WindowEvaluator.IsSlow"/>) toward some target of every region they probe, when they probe
    /// two regions or more. A provider's trouble is regional; a vantage whose every region is
    /// slow at once is slow itself (its machine stalled, its network path is congested), and its slowness is its own
    /// health, never evidence against a provider.
    /// </summary>
    private static HashSet<string> SlowEverywhere(IEnumerable<VantageVerdict> verdicts, DetectionOptions options) =>
        verdicts.Where(v => v.State != HealthState.NoData)
            .GroupBy(v => v.Vantage, StringComparer.Ordinal)
            .Where(vantage =>
            {
                var regions = vantage.GroupBy(v => v.Region, StringComparer.Ordinal).ToList();
                return regions.Count >= 2 && regions.All(region => region.Any(v => WindowEvaluator.IsSlow(v.SlowRuns, v.ExpectedSlowRuns, v.Runs, options)));
            })
            .Select(vantage => vantage.Key)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The vantages whose view of a target agrees on a provider-side problem, or none. Failures: the target's runs
    /// pooled over every reporting vantage fail often enough (<see cref="DetectionOptions.MinFailures"/> and
    /// <see cref="DetectionOptions.DegradedFailureRatio"/>), and failures come from at least
    /// <see cref="DetectionOptions.MinAgreeingVantages"/> of them. Pooling is what makes a partial fault visible at one
    /// cycle a minute: a share of connections failing shows as one or two failed runs per vantage, under any
    /// per-vantage threshold, yet from every vantage at once. Slowness: at least that many vantages each slow
    /// (<see cref="WindowEvaluator.IsSlow"/>). The two are judged apart, so one vantage that fails
    /// everything (its own path) and others with a slow run each (their own noise) never add up to the provider's
    /// problem; and the failures must hold without the worst vantage (the others still fail at least
    /// <see cref="DetectionOptions.MinFailures"/> − 1 times, and twice at least), so one vantage's lost path plus one
    /// stray failure elsewhere is that vantage's health. With fewer reporting vantages than an agreement needs, all of
    /// them being bad on their own is the best evidence there is. In a region whose provider-side incident is open (<paramref name="sustaining"/>), failures or
    /// slowness (at the bar it opened with) from that many vantages keep it open.
    /// </summary>
    private static List<VantageVerdict> ProviderSide(
        List<VantageVerdict> reporting, Evidence evidence, DetectionOptions options, bool sustaining, HashSet<string> slowEverywhere)
    {
        // A vantage slow toward every region at once is slow itself: its slowness says nothing about any provider.
        bool Slow(VantageVerdict v) => WindowEvaluator.IsSlow(v.SlowRuns, v.ExpectedSlowRuns, v.Runs, options) && !slowEverywhere.Contains(v.Vantage);

        if (reporting.Count < options.MinAgreeingVantages)
        {
            return reporting.All(v => v.IsBad) ? reporting : [];
        }

        if (sustaining)
        {
            // Hysteresis in evidence, not only in count: an incident open in the region stays while the target still fails,
            // or is slow, from as many vantages as an agreement needs. The bar to open is higher than the bar to stay open,
            // so an intermittent fault that dips under the opening thresholds for a window does not resolve and page again.
            var stillFailing = reporting.Where(v => v.FailedAttempts > 0).ToList();
            var beyondChance = stillFailing.Count >= options.MinAgreeingVantages && evidence.Sustained();
            // Slowness keeps the bar it opened with: a few slow runs are every path's noise.
            var stillSlow = reporting.Where(Slow).ToList();
            return beyondChance ? stillFailing
                : stillSlow.Count >= options.MinAgreeingVantages ? stillSlow
                : [];
        }

        var byFailures = evidence.Agreed && (evidence.InWindow(options.Alpha) || evidence.OverLongWindow());
        var bySlowness = reporting.Count(Slow) >= options.MinAgreeingVantages;
        return [.. reporting.Where(v => (byFailures && v.FailedAttempts > 0) || (bySlowness && Slow(v)))];
    }

    /// <summary>
    /// Targets of <paramref name="region"/> that join its provider-side finding on lighter evidence than it took to start
    /// it: a failure seen from as many vantages as an agreement needs. A fleet change reaches every target of a region,
    /// but a target with few probes (a web NodeBalancer with four, against a control plane's eight) shows it thinly: a
    /// share of its connections fails, under the degraded threshold from one vantage or another. Once another target's
    /// trouble is agreed on, such failures from several vantages are that trouble, not chance: a healthy target fails
    /// almost never, and from two vantages in one window less still.
    /// </summary>
    private static IEnumerable<(string Target, List<VantageVerdict> Failing)> Corroborating(
        IEnumerable<VantageVerdict> verdicts, string region, IEnumerable<string> agreed, DetectionOptions options)
    {
        var members = agreed.ToHashSet(StringComparer.Ordinal);
        return verdicts
            .Where(v => v.Region == region && !members.Contains(v.Target))
            .GroupBy(v => v.Target, StringComparer.Ordinal)
            .Select(t => (Target: t.Key, Failing: t.Where(v => v.State != HealthState.NoData && v.FailedAttempts > 0).ToList()))
            .Where(t => t.Failing.Count >= options.MinAgreeingVantages);
    }

    // New connections and kept ones are tested apart: a fault on one is not diluted by the other's requests.
    private static readonly Func<VantageVerdict, ConnectionSeries>[] ConnectionKinds = [v => v.NewConnections, v => v.KeptConnections];

    /// <summary>
    /// The failures of a set of views (a target's, or a region's over its targets), pooled once per evaluation and judged
    /// at each bar: per kind of connection, the window without the vantage that failed most, and the long window without a
    /// vantage whose failures stand out, against the views' own history as a count (see <see cref="Pool"/>).
    /// </summary>
    private sealed class Evidence(DetectionOptions options, bool agreed, List<(Pool Window, Pool OverLongWindow)> kinds)
    {
        // How unlikely by chance a window must still be for the long window to keep an incident open.
        private const double LeaningWindow = 0.3;

        /// <summary>Whether failures come from at least <see cref="DetectionOptions.MinAgreeingVantages"/> vantages.</summary>
        public bool Agreed { get; } = agreed;

        public static Evidence Of(IReadOnlyCollection<VantageVerdict> views, DetectionOptions options)
        {
            var failingVantages = views.Where(v => v.FailedAttempts > 0).Select(v => v.Vantage).Distinct(StringComparer.Ordinal).Count();
            return new Evidence(options, failingVantages >= options.MinAgreeingVantages, [.. ConnectionKinds.Select(kind => (
                Pool.Of(views, kind, overLongWindow: false, options),
                Pool.Of(views, kind, overLongWindow: true, options)))]);
        }

        /// <summary>Whether one kind of connection, without its worst vantage, fails beyond <paramref name="alpha"/> in the window.</summary>
        public bool InWindow(double alpha) => kinds.Any(k => k.Window.IsUnusual(options, alpha));

        /// <summary>Whether one kind of connection fails beyond <see cref="DetectionOptions.Alpha"/> over the long window, compared with its history as a count.</summary>
        public bool OverLongWindow() => kinds.Any(k => k.OverLongWindow.IsUnusual(options, options.Alpha));

        /// <summary>
        /// Whether one kind of connection (as <see cref="Pool"/> pools it) still fails beyond
        /// <see cref="DetectionOptions.SustainAlpha"/> in the window; or over the long window while the window still leans
        /// that way (chance would fail it this often at most three times in ten): a thin fault's window can look like chance
        /// for a minute or two, and once the fault is over the window stops leaning and the incident resolves.
        /// </summary>
        public bool Sustained() =>
            kinds.Any(k =>
            {
                var inWindow = k.Window.Tail;
                return inWindow <= options.SustainAlpha || (inWindow <= LeaningWindow && k.OverLongWindow.Tail <= options.SustainAlpha);
            });
    }

    /// <summary>
    /// One kind of connection's requests of a set of views pooled over vantages. In the window: without the vantage that
    /// failed most (when there are two or more), since the pool must not rest on one vantage, whose own lost path would
    /// fail everything it sends, and judged against the usual failure rate of what is left, weighed by its requests. Over
    /// the long window: every vantage but one whose failures stand out from the others' (<see cref="StandsOut"/>), judged
    /// against the same views' own requests before it (<see cref="ConnectionSeries.Usual"/>) by the conditional test of
    /// two rates, so an estimate from a quiet hour does not make chance look unusual.
    /// </summary>
    private readonly record struct Pool(AttemptCount Count, double UsualRate, AttemptCount? Usual)
    {
        /// <summary>
        /// How likely chance alone is to fail this often. Against a count of usual requests: given the failures of both
        /// together, the share that falls in the pool is binomial at the pool's share of the requests when the rate is
        /// the same in both (the exact test of two Poisson rates); so the test is as sure as the history is long.
        /// </summary>
        public double Tail => Usual is { } usual
            ? Binomial.UpperTail(Count.Failed, Count.Failed + usual.Failed, (double)Count.Attempts / (Count.Attempts + usual.Attempts))
            : Binomial.UpperTail(Count.Failed, Count.Attempts, UsualRate);

        public bool IsUnusual(DetectionOptions options, double alpha) => WindowEvaluator.IsEnoughToJudge(Count, options) && Tail <= alpha;

        /// <summary>Over the long window, only views whose results reach back over it (<see cref="ConnectionSeries.HasLongWindow"/>).</summary>
        public static Pool Of(IReadOnlyCollection<VantageVerdict> views, Func<VantageVerdict, ConnectionSeries> series, bool overLongWindow, DetectionOptions options)
        {
            if (overLongWindow)
            {
                return OverLongWindow([.. views.Where(v => series(v).HasLongWindow)], series, options);
            }

            var byVantage = views
                .GroupBy(v => v.Vantage, StringComparer.Ordinal)
                .Select(g => (Views: g.ToList(), Count: g.Aggregate(AttemptCount.None, (sum, v) => sum + series(v).InWindow)))
                .ToList();
            if (byVantage.Count > 1)
            {
                byVantage.Remove(byVantage.MaxBy(v => v.Count.Failed));
            }

            var pooled = byVantage.Aggregate(AttemptCount.None, (sum, v) => sum + v.Count);
            var weighed = byVantage.SelectMany(v => v.Views).ToList();
            var attempts = weighed.Sum(v => (double)series(v).InWindow.Attempts);
            var rate = attempts > 0
                ? weighed.Sum(v => series(v).UsualRate * series(v).InWindow.Attempts) / attempts
                : weighed.Select(v => series(v).UsualRate).DefaultIfEmpty(0).Average();
            return new Pool(pooled, rate, null);
        }

        private static Pool OverLongWindow(List<VantageVerdict> views, Func<VantageVerdict, ConnectionSeries> series, DetectionOptions options)
        {
            var byVantage = views.GroupBy(v => v.Vantage, StringComparer.Ordinal)
                .Select(g => (
                    Window: g.Aggregate(AttemptCount.None, (sum, v) => sum + series(v).OverLongWindow),
                    Usual: g.Aggregate(AttemptCount.None, (sum, v) => sum + series(v).Usual)))
                .ToList();
            var window = Sum(StandsOut(byVantage.Select(v => v.Window).ToList()));
            var usual = Sum(StandsOut(byVantage.Select(v => v.Usual).ToList()));
            // The prior, once per target: a target with little history of its own is compared with a sensible rate.
            var targets = views.Select(v => v.Target).Distinct(StringComparer.Ordinal).Count();
            var prior = new AttemptCount(targets * options.PriorAttempts, (int)Math.Round(targets * options.PriorAttempts * options.PriorFailureRate));
            return new Pool(window, 0, usual + prior);
        }

        public static AttemptCount Sum(IEnumerable<AttemptCount> counts) => counts.Aggregate(AttemptCount.None, (sum, c) => sum + c);
    }

    // How unlikely a vantage's share of the failures must be, given its share of the requests, for it to be left out of a
    // pool as having trouble of its own.
    private const double StandsOutAlpha = 0.01;

    /// <summary>
    /// Per-vantage counts without the vantage whose failures stand out from the others': more of all the failures than
    /// its share of the requests explains, by chance less often than <see cref="StandsOutAlpha"/>. A vantage that lost its
    /// own path fails everything it sends and always stands out; a provider's fault fails every vantage's connections
    /// alike and leaves all of them in, so the pool has every vantage's requests when it matters. A vantage in trouble of
    /// its own that does not stand out cannot add enough failures to look like the provider's.
    /// </summary>
    private static IEnumerable<AttemptCount> StandsOut(List<AttemptCount> perVantage)
    {
        if (perVantage.Count < 2)
        {
            return perVantage;
        }

        var total = Pool.Sum(perVantage);
        var (worst, tail) = perVantage
            .Select((c, i) => (Index: i, Tail: Binomial.UpperTail(c.Failed, total.Failed, total.Attempts == 0 ? 0 : (double)c.Attempts / total.Attempts)))
            .MinBy(t => t.Tail);
        return tail <= StandsOutAlpha ? perVantage.Where((_, i) => i != worst) : perVantage;
    }

    /// <summary>The finding and incident key of the provider's side of <paramref name="region"/>.</summary>
    public static string ProviderKey(string region) => $"provider:{region}";

    private static Finding Build(IncidentScope scope, string key, string? region, List<VantageVerdict> bad)
    {
        var outcomes = bad.SelectMany(v => v.Outcomes)
            .GroupBy(o => o.Key)
            .ToDictionary(g => g.Key, g => g.Sum(o => o.Value));
        ProbeOutcome? leading = outcomes.Count > 0
            ? outcomes.OrderByDescending(o => o.Value).ThenBy(o => o.Key).First().Key
            : bad.Any(v => v.SlowProbes.Count > 0) ? ProbeOutcome.Slow : null;
        var targets = bad.Select(v => v.Target).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var vantages = bad.Select(v => v.Vantage).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var state = bad.Any(v => v.State == HealthState.Down) ? HealthState.Down : HealthState.Degraded;
        var latency = bad.SelectMany(v => v.SlowProbes).ToList();
        var runs = bad.Sum(v => v.Attempts);
        var failures = bad.Sum(v => v.FailedAttempts);
        var slowRuns = bad.Sum(v => v.SlowRuns);
        var slow = slowRuns > 0 ? $", {slowRuns} of {bad.Sum(v => v.Runs)} runs slow" : "";
        // The window slides: a finding counts toward opening an incident only with runs no earlier evaluation judged.
        var fresh = bad.Any(v => v.FreshFailures > 0);
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{state.ToString().ToLowerInvariant()}: {failures} of {runs} requests failed ({(runs == 0 ? 0 : 100.0 * failures / runs):0.#}%){slow}" +
            $"{(leading is { } l ? $", mostly {l.ToContractName()}" : "")} on {string.Join(", ", targets)} from {string.Join(", ", vantages)}");
        return new Finding(scope, key, region, targets, vantages, state, leading, outcomes, latency, summary) { HasNewEvidence = fresh };
    }
}
