using System.Globalization;
using Synthetics.Detection;
using Synthetics.Maintenance;
using Synthetics.Storage;
using Synthetics.Targets;

namespace Synthetics.Explain;

/// <summary>
/// Builds the monthly <see cref="UptimeReport"/>. Results are read per target and day through the by-target table's keys
/// (one target's row range in a day partition) and folded into counts as they come, so a month never sits in memory;
/// disruption comes from the detector's provider-side incidents (first seen to resolved), exemption from the status
/// page's maintenances and when they were announced.
/// </summary>
internal sealed class UptimeBuilder(
    IResultStore results,
    IIncidentStateStore incidents,
    IMaintenanceSource maintenances,
    ITargetCatalogSource catalogSource,
    TimeProvider timeProvider) : IUptimeSource
{
    public async Task<UptimeReport> BuildAsync(DateOnly month, CancellationToken cancellationToken)
    {
        var from = new DateTimeOffset(month.Year, month.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var next = from.AddMonths(1);
        var now = timeProvider.GetUtcNow();
        if (from > now)
        {
            throw new EvidenceRequestException($"the month {Month(from)} has not started");
        }

        var to = next < now ? next : now;
        var sla = ProviderSla.LinodeNonCompute;
        var monthIncidents = Incidents(await incidents.HistoryAsync(DateTimeOffset.MinValue, cancellationToken), from, to);
        var monthMaintenances = (await maintenances.GetAsync(cancellationToken))
            .Select(m => Maintenance(m, sla))
            .OfType<UptimeMaintenance>()
            .Where(m => m.From < to && m.To > from)
            .ToList();

        // The targets as a probe cycle sees them: the settings' and, with discovery, the discovered ones (a target not
        // probed now may have been probed earlier in the month).
        var catalog = await catalogSource.GetAsync(cancellationToken);
        var monitored = catalog.Targets.Select(t => (t.Name, Kind: t.Kind.ToString(), t.Region))
            .Concat(catalog.Unresolved.Select(t => (t.Name, Kind: t.Kind.ToString(), t.Region)));
        var targets = new List<TargetUptime>();
        foreach (var (name, kind, region) in monitored)
        {
            targets.Add(await TargetAsync(name, kind, region, from, to, next, monthIncidents, monthMaintenances, sla, cancellationToken));
        }

        return new UptimeReport
        {
            Title = $"Uptime {Month(from)}: {targets.Count} targets against the {sla.Name}",
            GeneratedAt = now,
            Month = Month(from),
            From = from,
            To = to,
            MinutesInMonth = (next - from).TotalMinutes,
            Sla = sla,
            Targets = targets,
            Incidents = [.. monthIncidents.Select(i => i.Report with { ExemptMinutes = Minutes(Intersect([i.Window], Exempt(monthMaintenances, i.Report.Region))) })],
            Maintenances = monthMaintenances,
        };
    }

    private async Task<TargetUptime> TargetAsync(
        string name, string? kind, string region, DateTimeOffset from, DateTimeOffset to, DateTimeOffset next,
        List<(UptimeIncident Report, Interval Window)> monthIncidents, List<UptimeMaintenance> monthMaintenances, ProviderSla sla, CancellationToken cancellationToken)
    {
        var tallies = new Dictionary<string, Tally>(StringComparer.Ordinal);
        var pooled = new Tally();
        for (var day = from; day < to; day = day.AddDays(1))
        {
            var end = day.AddDays(1) < to ? day.AddDays(1) : to;
            foreach (var result in await results.ReadTargetAsync(region, name, day, end, cancellationToken))
            {
                if (result.Probe == Synthetics.Targets.UnresolvedTarget.Probe)
                {
                    continue; // not probed (its kubeconfig cannot be had): no minute of availability either way
                }

                if (!tallies.TryGetValue(result.Vantage, out var tally))
                {
                    tallies[result.Vantage] = tally = new Tally();
                }

                var minute = (result.Timestamp - from).Ticks / TimeSpan.TicksPerMinute;
                tally.Add(minute, result.Success);
                pooled.Add(minute, result.Success);
            }
        }

        var concerning = monthIncidents
            .Where(i => string.Equals(i.Report.Region, region, StringComparison.OrdinalIgnoreCase)
                        && (i.Report.Scope == "region" || i.Report.Targets.Contains(name, StringComparer.Ordinal)))
            .ToList();
        var disruption = Merge(concerning.Select(i => i.Window));
        var exempt = Intersect(disruption, Exempt(monthMaintenances, region));
        var down = Subtract(Merge(concerning.Where(i => i.Report.State == "down").Select(i => i.Window)), exempt);
        var minutesInMonth = (next - from).TotalMinutes;
        var slaUptime = 1 - (Minutes(down) / minutesInMonth);
        return new TargetUptime
        {
            Target = name,
            Kind = string.Equals(kind, "KubernetesApi", StringComparison.OrdinalIgnoreCase) ? "cluster" : "nodebalancer",
            Region = region,
            Vantages = [.. tallies.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Value.ToUptime(t.Key))],
            Pooled = pooled.ToUptime("*"),
            DisruptionMinutes = Minutes(disruption),
            ExemptMinutes = Minutes(exempt),
            DownMinutes = Minutes(down),
            SlaUptime = slaUptime,
            UndisruptedShare = 1 - ((Minutes(disruption) - Minutes(exempt)) / minutesInMonth),
            MeetsSla = slaUptime >= sla.UptimeGuarantee,
            Incidents = [.. concerning.Select(i => i.Report.Id)],
        };
    }

    /// <summary>The provider-side incidents overlapping [from, to), each as its latest state, with its window clipped to the month.</summary>
    private static List<(UptimeIncident Report, Interval Window)> Incidents(IReadOnlyList<IncidentEvent> history, DateTimeOffset from, DateTimeOffset to) =>
        [.. history
            .GroupBy(e => e.Incident.Id, StringComparer.Ordinal)
            .Select(g => (Latest: g.OrderByDescending(e => e.At).First().Incident, Down: g.Any(e => e.Incident.State == HealthState.Down),
                Targets: g.SelectMany(e => e.Incident.Targets).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()))
            .Where(i => i.Latest.Scope != IncidentScope.Vantage && i.Latest.OpenedAt is not null && i.Latest.Region is not null
                        && i.Latest.FirstSeenAt < to && (i.Latest.ResolvedAt ?? to) > from)
            .OrderBy(i => i.Latest.FirstSeenAt)
            .Select(i =>
            {
                var window = new Interval(Max(i.Latest.FirstSeenAt, from), Min(i.Latest.ResolvedAt ?? to, to));
                return (new UptimeIncident
                {
                    Id = i.Latest.Id,
                    Scope = i.Latest.Scope.ToString().ToLowerInvariant(),
                    Region = i.Latest.Region!,
                    Targets = i.Targets,
                    State = i.Down ? "down" : "degraded",
                    FirstSeenAt = i.Latest.FirstSeenAt,
                    ResolvedAt = i.Latest.ResolvedAt,
                    Minutes = Minutes([window]),
                    ExemptMinutes = 0,
                    ProviderMaintenance = i.Latest.ProviderMaintenance,
                }, window);
            })];

    private static UptimeMaintenance? Maintenance(MaintenanceWindow window, ProviderSla sla)
    {
        if (window.ScheduledFor is not { } start)
        {
            return null;
        }

        var end = window.ResolvedAt ?? window.ScheduledUntil ?? start;
        var notice = window.AnnouncedAt is { } announced ? start - announced : (TimeSpan?)null;
        var exempt = notice >= sla.MaintenanceNotice;
        return new UptimeMaintenance
        {
            Name = window.Name,
            Regions = window.Regions,
            AnnouncedAt = window.AnnouncedAt,
            From = start,
            To = end,
            Exempt = exempt,
            Why = notice is not { } ahead
                ? "not exempt: when it was announced is unknown"
                : string.Create(CultureInfo.InvariantCulture,
                    $"{(exempt ? "exempt" : "not exempt")}: announced {ahead.TotalHours:0.#} h ahead (the SLA exempts {sla.MaintenanceNotice.TotalHours:0} h or more)"),
        };
    }

    private static List<Interval> Exempt(List<UptimeMaintenance> maintenances, string region) =>
        Merge(maintenances.Where(m => m.Exempt && m.Regions.Contains(region, StringComparer.OrdinalIgnoreCase)).Select(m => new Interval(m.From, m.To)));

    private static List<Interval> Merge(IEnumerable<Interval> intervals)
    {
        var merged = new List<Interval>();
        foreach (var interval in intervals.Where(i => i.To > i.From).OrderBy(i => i.From))
        {
            if (merged.Count > 0 && interval.From <= merged[^1].To)
            {
                merged[^1] = merged[^1] with { To = Max(merged[^1].To, interval.To) };
            }
            else
            {
                merged.Add(interval);
            }
        }

        return merged;
    }

    private static List<Interval> Intersect(List<Interval> a, List<Interval> b) =>
        Merge(a.SelectMany(x => b.Select(y => new Interval(Max(x.From, y.From), Min(x.To, y.To)))));

    private static List<Interval> Subtract(List<Interval> a, List<Interval> b)
    {
        var left = new List<Interval>();
        foreach (var interval in a)
        {
            var pieces = new List<Interval> { interval };
            foreach (var cut in b)
            {
                pieces = [.. pieces.SelectMany(p => new[] { new Interval(p.From, Min(p.To, cut.From)), new Interval(Max(p.From, cut.To), p.To) }).Where(p => p.To > p.From)];
            }

            left.AddRange(pieces);
        }

        return Merge(left);
    }

    private static double Minutes(List<Interval> intervals) => intervals.Sum(i => (i.To - i.From).TotalMinutes);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static string Month(DateTimeOffset from) => from.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private readonly record struct Interval(DateTimeOffset From, DateTimeOffset To);

    /// <summary>Runs and failures of one vantage (or all) over the month, with the minutes they fell in.</summary>
    private sealed class Tally
    {
        private readonly HashSet<long> _minutes = [];
        private readonly HashSet<long> _failedMinutes = [];
        private long _runs;
        private long _failed;

        public void Add(long minute, bool success)
        {
            _runs++;
            _minutes.Add(minute);
            if (!success)
            {
                _failed++;
                _failedMinutes.Add(minute);
            }
        }

        public VantageUptime ToUptime(string vantage) => new(vantage, _runs, _failed, _minutes.Count, _failedMinutes.Count);
    }
}
