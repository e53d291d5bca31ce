namespace Synthetics.Detection;

/// <summary>
/// Advances tracked incidents by one evaluation: a finding with new evidence seen <see cref="DetectionOptions.OpenAfter"/>
/// times in a row opens an incident (at once when it is overwhelming or beyond chance over the long window), a change
/// in an open one (state, targets, vantages, leading outcome) updates it, and <see cref="DetectionOptions.ResolveAfter"/>
/// evaluations in a row without it resolve it. The asymmetry is
/// deliberate: opening needs fresh evidence every time (a bad cycle stays in the sliding window for several
/// evaluations), while an open incident stays open as long as its window still shows the problem, so an intermittent
/// fault whose last cycle happened to be clean does not resolve and page again. Pure: the caller loads
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

        foreach (var finding in findings)
        {
            byKey.Remove(finding.Key, out var previous);
            if (!finding.HasNewEvidence && previous is not { IsOpen: true })
            {
                continue; // no new observation: a candidate's streak is broken, and it is forgotten
            }

            var incident = Apply(previous, finding, now, options);
            if (!incident.IsOpen && (incident.BadStreak >= options.OpenAfter || finding.Overwhelming || finding.OverLongWindow))
            {
                incident = Opened(incident, finding, now);
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
    /// Opens at once every incident <paramref name="findings"/> show beyond doubt (<see cref="Finding.Overwhelming"/>, with
    /// new evidence) that is not open yet, and leaves every other tracked incident as it is: the step of a look between
    /// two evaluations (the cycles in progress), which judges no cycle, so it neither breaks a streak nor counts toward
    /// resolving one. The next evaluation carries what it opened on as it would one it opened itself.
    /// </summary>
    public static (IReadOnlyList<Incident> Tracked, IReadOnlyList<IncidentEvent> Events) OpenAtOnce(
        IReadOnlyCollection<Incident> tracked, IReadOnlyCollection<Finding> findings, DateTimeOffset now, DetectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(tracked);
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(options);
        var byKey = tracked.ToDictionary(i => i.Key, StringComparer.Ordinal);
        var events = new List<IncidentEvent>();
        foreach (var finding in findings.Where(f => f.Overwhelming && f.HasNewEvidence))
        {
            byKey.TryGetValue(finding.Key, out var previous);
            if (previous is { IsOpen: true })
            {
                continue;
            }

            var incident = Opened(Apply(previous, finding, now, options), finding, now);
            byKey[finding.Key] = incident;
            events.Add(new IncidentEvent(IncidentEventKind.Opened, incident, now));
        }

        return ([.. byKey.Values.OrderBy(i => i.Key, StringComparer.Ordinal)], events);
    }

    /// <summary>Regions with an open provider-side incident (what <see cref="ScopeClassifier"/> absorbs lone verdicts into).</summary>
    public static IReadOnlySet<string> RegionsUnderIncident(IEnumerable<Incident> tracked) =>
        tracked.Where(i => i.IsOpen && i.Scope != IncidentScope.Vantage && i.Region is not null)
            .Select(i => i.Region!)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Per region with an open provider-side incident, when the trouble was first seen: a region's history from then on
    /// is the incident, not what is usual for its targets, so it stays out of their baselines while the incident is open.
    /// </summary>
    public static IReadOnlyDictionary<string, DateTimeOffset> TroubledSince(IEnumerable<Incident> tracked) =>
        tracked.Where(i => i.IsOpen && i.Scope != IncidentScope.Vantage && i.Region is not null)
            .GroupBy(i => i.Region!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Min(i => i.FirstSeenAt), StringComparer.Ordinal);

    private static Incident Opened(Incident incident, Finding finding, DateTimeOffset now) =>
        incident with { OpenedAt = now, Id = $"{finding.Key}@{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}" };

    private static Incident Apply(Incident? previous, Finding finding, DateTimeOffset now, DetectionOptions options)
    {
        // The provider's side of a region is one incident. While it is open it keeps every target that agreed: a minute
        // in which fewer targets are agreed bad is the same problem seen on fewer targets, and a second target joining
        // turns it into a regional incident (an update, not a second page). Evidence only grows; scope never shrinks.
        var open = previous is { IsOpen: true };
        var targets = open ? [.. previous!.Targets.Union(finding.Targets, StringComparer.Ordinal).Order(StringComparer.Ordinal)] : finding.Targets;
        var scope = finding.Scope == IncidentScope.Target && targets.Count >= options.RegionMinTargets ? IncidentScope.Region
            : open && previous!.Scope == IncidentScope.Region ? IncidentScope.Region
            : finding.Scope;
        return Build(previous, finding, now, scope, targets);
    }

    private static Incident Build(Incident? previous, Finding finding, DateTimeOffset now, IncidentScope scope, IReadOnlyList<string> targets) => new()
    {
        Id = previous?.Id ?? finding.Key,
        Key = finding.Key,
        Scope = scope,
        Region = finding.Region,
        Targets = targets,
        // An open incident keeps every vantage and target that ever agreed: evidence only grows.
        Vantages = previous is { IsOpen: true } ? [.. previous.Vantages.Union(finding.Vantages, StringComparer.Ordinal).Order(StringComparer.Ordinal)] : finding.Vantages,
        State = finding.State,
        LeadingOutcome = finding.LeadingOutcome,
        Outcomes = finding.Outcomes,
        Latency = finding.Latency,
        Summary = finding.Summary,
        ProviderMaintenance = previous?.ProviderMaintenance,
        Attribution = previous?.Attribution,
        CustomerChanges = previous?.CustomerChanges ?? [],
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
