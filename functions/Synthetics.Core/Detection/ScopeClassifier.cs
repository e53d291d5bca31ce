using System.Globalization;
using Synthetics.Results;

namespace Synthetics.Detection;

/// <summary>
/// Places what the verdicts show: several vantage points agreeing on a target → the provider's side (the target);
/// several such targets in one region → one regional finding; one vantage alone → that vantage's health; a vantage
/// with no results while others report → the monitor's own problem, also vantage health.
/// </summary>
public static class ScopeClassifier
{
    public static IReadOnlyList<Finding> Classify(IReadOnlyCollection<VantageVerdict> verdicts, DetectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(options);
        var findings = new List<Finding>();
        var providerSide = new List<(string Target, string Region, List<VantageVerdict> Bad)>();
        var loneBad = new List<VantageVerdict>();

        foreach (var target in verdicts.GroupBy(v => v.Target, StringComparer.Ordinal))
        {
            var reporting = target.Where(v => v.State != HealthState.NoData).ToList();
            var bad = reporting.Where(v => v.IsBad).ToList();
            if (bad.Count == 0)
            {
                continue;
            }

            // With fewer reporting vantages than an agreement needs, all of them being bad is the best evidence there is.
            var agreed = bad.Count >= options.MinAgreeingVantages
                         || (reporting.Count < options.MinAgreeingVantages && bad.Count == reporting.Count);
            if (agreed)
            {
                providerSide.Add((target.Key, bad[0].Region, bad));
            }
            else
            {
                loneBad.AddRange(bad);
            }
        }

        // A region with a provider-side problem explains a lone vantage's failures on its other targets: an intermittent
        // fault (a share of connections stalled) rarely hits every target from two vantages in one window, and calling
        // those failures the vantage's would page nobody while hiding that the problem spans the region.
        var troubled = providerSide.Select(p => p.Region).ToHashSet(StringComparer.Ordinal);
        var explained = loneBad.Where(v => troubled.Contains(v.Region)).ToList();
        loneBad.RemoveAll(v => troubled.Contains(v.Region));

        foreach (var region in providerSide.GroupBy(p => p.Region, StringComparer.Ordinal))
        {
            var members = region.ToList();
            var alsoBad = explained.Where(v => v.Region == region.Key).ToList();
            var targets = members.Select(m => m.Target).Concat(alsoBad.Select(v => v.Target)).Distinct(StringComparer.Ordinal).Count();
            if (targets >= options.RegionMinTargets)
            {
                findings.Add(Build(IncidentScope.Region, $"region:{region.Key}", region.Key, [.. members.SelectMany(m => m.Bad), .. alsoBad]));
            }
            else
            {
                findings.AddRange(members.Select(m => Build(IncidentScope.Target, $"target:{m.Target}", m.Region, m.Bad)));
            }
        }

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
        var runs = bad.Sum(v => v.Runs);
        var failures = bad.Sum(v => v.Failures);
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{state.ToString().ToLowerInvariant()}: {failures} of {runs} probe runs failed ({(runs == 0 ? 0 : 100.0 * failures / runs):0.#}%)" +
            $"{(leading is { } l ? $", mostly {l.ToContractName()}" : "")} on {string.Join(", ", targets)} from {string.Join(", ", vantages)}");
        return new Finding(scope, key, region, targets, vantages, state, leading, outcomes, latency, summary);
    }
}
