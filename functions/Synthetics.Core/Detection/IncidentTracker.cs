namespace Synthetics.Detection;

/// <summary>
/// Advances tracked incidents by one evaluation: a finding seen <see cref="DetectionOptions.OpenAfter"/> times in a
/// row opens an incident, a change in an open one (state, targets, vantages, leading outcome) updates it, and
/// <see cref="DetectionOptions.ResolveAfter"/> evaluations in a row without it resolve it. Pure: the caller loads
/// and saves the state (with ETags, so two evaluators never open the same incident twice).
/// </summary>
public static class IncidentTracker
{
    /// <summary>The tracked incidents after this evaluation (resolved ones leave the set) and the events it produced.</summary>
    public static (IReadOnlyList<Incident> Tracked, IReadOnlyList<IncidentEvent> Events) Advance(
        IReadOnlyCollection<Incident> tracked, IReadOnlyCollection<Finding> findings, DateTimeOffset now, DetectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(tracked);
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(options);
        var byKey = tracked.ToDictionary(i => i.Key, StringComparer.Ordinal);
        var next = new List<Incident>();
        var events = new List<IncidentEvent>();

        foreach (var finding in FeedRegions(byKey, findings))
        {
            byKey.Remove(finding.Key, out var previous);
            var incident = Apply(previous, finding, now);
            if (!incident.IsOpen && incident.BadStreak >= options.OpenAfter)
            {
                incident = incident with { OpenedAt = now, Id = $"{finding.Key}@{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}" };
                events.Add(new IncidentEvent(IncidentEventKind.Opened, incident, now));
            }
            else if (previous is { IsOpen: true } && Changed(previous, incident))
            {
                events.Add(new IncidentEvent(IncidentEventKind.Updated, incident, now));
            }

            next.Add(incident);
        }

        foreach (var quiet in byKey.Values)
        {
            var incident = quiet with { BadStreak = 0, GoodStreak = quiet.GoodStreak + 1 };
            if (!incident.IsOpen)
            {
                continue; // a candidate that did not persist: forgotten
            }

            if (incident.GoodStreak >= options.ResolveAfter)
            {
                events.Add(new IncidentEvent(IncidentEventKind.Resolved, incident with { ResolvedAt = now }, now));
                continue;
            }

            next.Add(incident);
        }

        return ([.. next.OrderBy(i => i.Key, StringComparer.Ordinal)], events);
    }

    /// <summary>
    /// An intermittent regional fault shows as the region in one window and as one of its targets in the next (a share of
    /// connections fails, so a second target does not always reach the thresholds). Tracked apart, every flip would reset
    /// the hysteresis and could page twice for one problem. So: a region finding takes over the region's tracked target
    /// incident (its streak, first sighting, and if open its id, reported as an update), and while a region incident is
    /// tracked, provider-side findings on its targets keep it going instead of starting target incidents.
    /// </summary>
    private static List<Finding> FeedRegions(Dictionary<string, Incident> byKey, IReadOnlyCollection<Finding> findings)
    {
        var result = new List<Finding>();
        foreach (var finding in findings.Where(f => f.Scope == IncidentScope.Region && f.Region is not null))
        {
            var members = byKey.Values.Where(i => i.Scope == IncidentScope.Target && i.Region == finding.Region).ToList();
            if (!byKey.ContainsKey(finding.Key) && members.Count > 0)
            {
                var carrier = members.OrderByDescending(i => i.IsOpen).ThenByDescending(i => i.BadStreak).ThenBy(i => i.FirstSeenAt).First();
                foreach (var absorbed in members.Where(i => !i.IsOpen || ReferenceEquals(i, carrier)))
                {
                    byKey.Remove(absorbed.Key);
                }

                byKey[finding.Key] = carrier with { Key = finding.Key, FirstSeenAt = members.Min(i => i.FirstSeenAt) };
            }
        }

        var regionsWithFinding = findings.Where(f => f.Scope == IncidentScope.Region).Select(f => f.Region).ToHashSet(StringComparer.Ordinal);
        foreach (var group in findings.GroupBy(f => f.Scope == IncidentScope.Target && f.Region is { } r
                     && !regionsWithFinding.Contains(r) && byKey.ContainsKey($"region:{r}") ? $"region:{r}" : null))
        {
            if (group.Key is null)
            {
                result.AddRange(group);
                continue;
            }

            var first = group.First();
            result.Add(first with
            {
                Scope = IncidentScope.Region,
                Key = group.Key,
                Targets = [.. group.SelectMany(f => f.Targets).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                Vantages = [.. group.SelectMany(f => f.Vantages).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            });
        }

        return result;
    }

    private static Incident Apply(Incident? previous, Finding finding, DateTimeOffset now) => new()
    {
        Id = previous?.Id ?? finding.Key,
        Key = finding.Key,
        Scope = finding.Scope,
        Region = finding.Region,
        Targets = finding.Targets,
        // An open incident keeps every vantage and target that ever agreed: evidence only grows.
        Vantages = previous is { IsOpen: true } ? [.. previous.Vantages.Union(finding.Vantages, StringComparer.Ordinal).Order(StringComparer.Ordinal)] : finding.Vantages,
        State = finding.State,
        LeadingOutcome = finding.LeadingOutcome,
        Outcomes = finding.Outcomes,
        Latency = finding.Latency,
        Summary = finding.Summary,
        ProviderMaintenance = previous?.ProviderMaintenance,
        FirstSeenAt = previous?.FirstSeenAt ?? now,
        OpenedAt = previous?.OpenedAt,
        BadStreak = (previous?.BadStreak ?? 0) + 1,
        GoodStreak = 0,
    };

    private static bool Changed(Incident before, Incident after) =>
        before.Scope != after.Scope
        || before.State != after.State
        || before.LeadingOutcome != after.LeadingOutcome
        || !before.Targets.SequenceEqual(after.Targets, StringComparer.Ordinal)
        || !before.Vantages.SequenceEqual(after.Vantages, StringComparer.Ordinal);
}
