using System.Globalization;
using Microsoft.Extensions.Options;
using Synthetics.Alerts;
using Synthetics.Configuration;
using Synthetics.Detection;
using Synthetics.Maintenance;
using Synthetics.Results;
using Synthetics.Storage;
using Synthetics.Targets;

namespace Synthetics.Explain;

/// <summary>
/// Builds an <see cref="EvidenceReport"/> from the store. Every read goes through a key: the incident history
/// partition, the subject region's day partitions (or one target's row range inside them), each other configured
/// region's day partitions, and the cycle table's minute partitions of the window; never a scan of every partition.
/// </summary>
internal sealed partial class EvidenceBuilder(
    IResultStore results,
    IIncidentStateStore incidents,
    IMaintenanceSource maintenances,
    IOptions<SyntheticsOptions> options,
    ITargetCatalogSource catalogSource,
    TimeProvider timeProvider) : IEvidenceSource
{
    /// <summary>How much before an incident's first sighting a report reads by default: the baseline beside it.</summary>
    internal static readonly TimeSpan LeadIn = TimeSpan.FromMinutes(30);

    /// <summary>How much after an incident's resolution a report reads by default: the recovery.</summary>
    internal static readonly TimeSpan LeadOut = TimeSpan.FromMinutes(15);

    /// <summary>A region or target report without a range covers this much before its end.</summary>
    internal static readonly TimeSpan DefaultSpan = TimeSpan.FromHours(1);

    /// <summary>Other regions read beside the subject's: enough to show "the rest is fine", few enough to stay cheap.</summary>
    internal const int MaxOtherRegions = 6;

    public async Task<EvidenceReport> BuildAsync(EvidenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var subjects = new[] { request.IncidentId, request.Region, request.Target }.Count(s => !string.IsNullOrWhiteSpace(s));
        if (subjects != 1)
        {
            throw new EvidenceRequestException("name exactly one of an incident, a region or a target");
        }

        var now = timeProvider.GetUtcNow();
        // The targets as a probe cycle sees them: the settings' and, with discovery, the discovered ones.
        var catalog = await catalogSource.GetAsync(cancellationToken);
        var history = await incidents.HistoryAsync(DateTimeOffset.MinValue, cancellationToken);
        var scope = request.IncidentId is { } id
            ? await ForIncidentAsync(id.Trim(), request, history, now, catalog, cancellationToken)
            : request.Region is { } region
                ? ForRegion(region.Trim(), request, history, now)
                : ForTarget(request.Target!.Trim(), request, history, now, catalog);
        if (scope.To <= scope.From)
        {
            throw new EvidenceRequestException($"the range is empty: --from {Utc(scope.From)} is not before --to {Utc(scope.To)}");
        }

        var subjectRead = scope.TargetOnly is { } onlyTarget
            ? results.ReadTargetAsync(scope.Region, onlyTarget, scope.From, scope.To, cancellationToken)
            : results.ReadRegionAsync(scope.Region, scope.From, scope.To, cancellationToken);
        var otherRegions = catalog.Targets.Select(t => t.Region)
            .Concat(catalog.Unresolved.Select(t => t.Region))
            .Where(r => !string.Equals(r, scope.Region, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .Take(MaxOtherRegions)
            .ToList();
        var otherReads = otherRegions.Select(r => results.ReadRegionAsync(r, scope.From, scope.To, cancellationToken)).ToList();
        var cyclesRead = results.ReadCyclesAsync(scope.From, scope.To, cancellationToken);
        var maintenanceRead = maintenances.GetAsync(cancellationToken);

        // A target not probed (its kubeconfig cannot be had) measured nothing: its config results are no evidence.
        var regionResults = Measured(await subjectRead);
        var others = (await Task.WhenAll(otherReads)).Select(Measured).ToArray();
        var cycles = await cyclesRead;
        var windows = await maintenanceRead;

        var subjectTargets = scope.Targets ?? [.. regionResults.Select(r => r.Target).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var targetSet = subjectTargets.ToHashSet(StringComparer.Ordinal);
        var subject = regionResults.Where(r => targetSet.Contains(r.Target)).OrderBy(r => r.Timestamp).ToList();

        var vantages = subject.Select(r => r.Vantage)
            .Concat(others.SelectMany(o => o.Select(r => r.Vantage)))
            .Concat(cycles.Select(c => c.Vantage))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

        var failed = subject.Where(r => !r.Success).SelectMany(r => Failures(r, scope)).OrderBy(f => f.At).ToList();
        var regions = new List<RegionTimeline> { Pooled(scope.Region, regionResults) };
        regions.AddRange(otherRegions.Select((r, i) => Pooled(r, others[i])));
        var monitor = Monitor(cycles, vantages);
        var overlapping = Overlapping(windows, scope);
        var report = new EvidenceReport
        {
            Title = Title(scope),
            GeneratedAt = now,
            ProductVersion = Synthetics.ProductVersion.Value,
            Subject = Subject(scope, subjectTargets, vantages),
            From = scope.From,
            To = scope.To,
            ProblemFrom = scope.ProblemFrom,
            ProblemTo = scope.ProblemTo,
            Incidents = scope.IncidentIds,
            Vantages = vantages,
            Timelines = [.. vantages.Select(v => new VantageTimeline(v, Minutes(subject.Where(r => r.Vantage == v))))],
            Regions = regions,
            Baselines = Baselines(subject, scope),
            Attempts = subject.Sum(r => Detection.Requests.Of(r).Attempts),
            FailuresByOutcome = failed.GroupBy(f => f.Outcome, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            FailedAttempts = failed,
            Monitor = monitor,
            Maintenances = overlapping,
            CustomerChanges = [.. (scope.Incident is { } incident ? incident.CustomerChanges : scope.CustomerChanges).Distinct(StringComparer.Ordinal)],
            Reproductions = Reproductions(subjectTargets, catalog),
            Ask = "",
        };
        return report with { Ask = Ask(report) };
    }

    private async Task<ReportScope> ForIncidentAsync(
        string id, EvidenceRequest request, IReadOnlyList<IncidentEvent> history, DateTimeOffset now, TargetCatalog catalog, CancellationToken cancellationToken)
    {
        var events = history.Where(e => string.Equals(e.Incident.Id, id, StringComparison.Ordinal)).ToList();
        var incident = events.OrderByDescending(e => e.At).Select(e => e.Incident).FirstOrDefault();
        if (incident is null)
        {
            // Opened but its event not kept yet (a race with the evaluator): the live state holds it.
            var (state, _) = await incidents.LoadAsync(cancellationToken);
            incident = state.Tracked.FirstOrDefault(i => i.OpenedAt is not null && string.Equals(i.Id, id, StringComparison.Ordinal))
                ?? throw new EvidenceRequestException($"no incident '{id}' in the incident history (ids look like provider:ca-central@20260312T140200Z)");
        }

        var targets = events.SelectMany(e => e.Incident.Targets).Concat(incident.Targets).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        // The resolution's summary describes the calm after; the last event while it was open describes the problem.
        var summary = events.Where(e => e.Kind != IncidentEventKind.Resolved).OrderByDescending(e => e.At).Select(e => e.Incident.Summary).FirstOrDefault()
            ?? incident.Summary;
        var region = incident.Region
            ?? targets.Select(t => RegionOf(t, catalog)).OfType<string>().FirstOrDefault()
            ?? throw new EvidenceRequestException($"incident '{id}' names no region, and none of its targets is configured");
        var problemFrom = incident.FirstSeenAt - options.Value.Detection.Window;
        var problemTo = incident.ResolvedAt ?? now;
        var from = request.From ?? incident.FirstSeenAt - LeadIn;
        var to = request.To ?? Min(now, (incident.ResolvedAt ?? now) + LeadOut);
        return new ReportScope("incident", region, from, to)
        {
            Incident = incident with { Summary = summary, Targets = targets, Vantages = [.. events.SelectMany(e => e.Incident.Vantages).Concat(incident.Vantages).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] },
            // A regional incident is about the whole region; a target incident about its targets.
            Targets = incident.Scope == IncidentScope.Region ? null : targets,
            ProblemFrom = problemFrom,
            ProblemTo = problemTo,
            IncidentIds = [id],
        };
    }

    private ReportScope ForRegion(string region, EvidenceRequest request, IReadOnlyList<IncidentEvent> history, DateTimeOffset now)
    {
        var (from, to) = Range(request, now);
        var related = Related(history, from, to, i => string.Equals(i.Region, region, StringComparison.OrdinalIgnoreCase));
        return WithRelated(new ReportScope("region", region, from, to), related, now);
    }

    private ReportScope ForTarget(string target, EvidenceRequest request, IReadOnlyList<IncidentEvent> history, DateTimeOffset now, TargetCatalog catalog)
    {
        var region = RegionOf(target, catalog)
            ?? throw new EvidenceRequestException($"no target '{target}' in the configuration's Synthetics:Targets or the discovered catalog");
        var (from, to) = Range(request, now);
        var related = Related(history, from, to, i => i.Targets.Contains(target, StringComparer.Ordinal));
        return WithRelated(new ReportScope("target", region, from, to) { Targets = [target], TargetOnly = target }, related, now);
    }

    private static IReadOnlyList<ProbeResult> Measured(IReadOnlyList<ProbeResult> results) =>
        [.. results.Where(r => r.Probe != Synthetics.Targets.UnresolvedTarget.Probe)];

    private static (DateTimeOffset From, DateTimeOffset To) Range(EvidenceRequest request, DateTimeOffset now)
    {
        var to = request.To ?? now;
        return (request.From ?? to - DefaultSpan, to);
    }

    /// <summary>The provider-side incidents matching <paramref name="matches"/> that overlap [from, to), newest state of each.</summary>
    private static List<Incident> Related(IReadOnlyList<IncidentEvent> history, DateTimeOffset from, DateTimeOffset to, Func<Incident, bool> matches) =>
        [.. history
            .GroupBy(e => e.Incident.Id, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(e => e.At).First().Incident)
            .Where(i => i.Scope != IncidentScope.Vantage && matches(i) && i.FirstSeenAt < to && (i.ResolvedAt ?? DateTimeOffset.MaxValue) >= from)
            .OrderBy(i => i.FirstSeenAt)];

    private ReportScope WithRelated(ReportScope scope, List<Incident> related, DateTimeOffset now) => related.Count == 0
        ? scope
        : scope with
        {
            ProblemFrom = related.Min(i => i.FirstSeenAt) - options.Value.Detection.Window,
            ProblemTo = related.Max(i => i.ResolvedAt ?? now),
            IncidentIds = [.. related.Select(i => i.Id)],
            MaintenanceNames = [.. related.Select(i => i.ProviderMaintenance).OfType<string>()],
            CustomerChanges = [.. related.SelectMany(i => i.CustomerChanges)],
        };

    private static string? RegionOf(string target, TargetCatalog catalog) =>
        catalog.Targets.FirstOrDefault(t => string.Equals(t.Name, target, StringComparison.Ordinal))?.Region
        ?? catalog.Unresolved.FirstOrDefault(t => string.Equals(t.Name, target, StringComparison.Ordinal))?.Region;

    private static string Title(ReportScope scope) => scope.Incident is { } incident
        ? $"Evidence: {(incident.Scope == IncidentScope.Region ? $"region {incident.Region}" : string.Join(", ", incident.Targets))} " +
          $"{(incident.State == HealthState.Down ? "down" : "degraded")} ({incident.Id})"
        : $"Evidence: {scope.Kind} {(scope.Kind == "target" ? scope.TargetOnly : scope.Region)}, {Utc(scope.From)} to {Utc(scope.To)}";

    private static EvidenceSubject Subject(ReportScope scope, IReadOnlyList<string> targets, IReadOnlyList<string> vantages)
    {
        if (scope.Incident is not { } incident)
        {
            return new EvidenceSubject { Kind = scope.Kind, Scope = scope.Kind, Region = scope.Region, Targets = targets, Vantages = vantages };
        }

        return new EvidenceSubject
        {
            Kind = "incident",
            IncidentId = incident.Id,
            Scope = incident.Scope.ToString().ToLowerInvariant(),
            Severity = IncidentSeverity.Of(incident),
            State = incident.State == HealthState.Down ? "down" : "degraded",
            Region = scope.Region,
            Targets = targets,
            Vantages = incident.Vantages,
            Summary = incident.Summary,
            LeadingOutcome = incident.LeadingOutcome?.ToContractName(),
            FirstSeenAt = incident.FirstSeenAt,
            OpenedAt = incident.OpenedAt,
            ResolvedAt = incident.ResolvedAt,
        };
    }

    /// <summary>
    /// A failed run's failed attempts: the run itself, or for a disruption sampler's run each failed sample it listed
    /// (<c>details.failedSamples</c>: <c>second|outcome|phase|remote|audit id|echoed</c>), with its own second, phase,
    /// remote address and Audit-ID.
    /// </summary>
    private static IEnumerable<FailedAttempt> Failures(ProbeResult result, ReportScope scope)
    {
        var run = Failure(result, scope);
        if (!result.Details.TryGetValue("failedSamples", out var listed) || listed is not IEnumerable<string> samples)
        {
            yield return run;
            yield break;
        }

        foreach (var sample in samples)
        {
            var fields = sample.Split('|');
            if (fields.Length < 2 || !DateTimeOffset.TryParse(fields[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            {
                continue; // a listing this version cannot read says nothing it could check
            }

            string? Field(int i) => fields.Length > i && fields[i] is { Length: > 0 } f && f != "-" ? f : null;
            yield return run with
            {
                At = at,
                Outcome = fields[1],
                Phase = Field(2),
                RemoteAddress = Field(3) ?? run.RemoteAddress,
                AuditId = Field(4),
                AuditIdEchoed = Field(5) is { } echoed ? string.Equals(echoed, "true", StringComparison.OrdinalIgnoreCase) : null,
                DurationMs = 0,
                Message = null,
                InProblemWindow = scope.ProblemFrom is not { } from || (at >= from && at <= (scope.ProblemTo ?? DateTimeOffset.MaxValue)),
            };
        }
    }

    private static FailedAttempt Failure(ProbeResult result, ReportScope scope) => new()
    {
        At = result.Timestamp,
        Vantage = result.Vantage,
        Target = result.Target,
        Probe = result.Details.TryGetValue("series", out var series) && series is string s ? $"{result.Probe}/{s}" : result.Probe,
        RemoteAddress = result.RemoteAddress,
        Phase = LastPhase(result.Phases),
        Outcome = result.Outcome.ToContractName(),
        DurationMs = result.DurationMs,
        StatusCode = result.StatusCode,
        Message = result.Message,
        AuditId = result.Details.TryGetValue("auditId", out var audit) && audit is string a ? a : null,
        AuditIdEchoed = result.Details.TryGetValue("auditIdEchoed", out var echoed) && echoed is bool e ? e : null,
        InProblemWindow = scope.ProblemFrom is not { } from || (result.Timestamp >= from && result.Timestamp <= (scope.ProblemTo ?? DateTimeOffset.MaxValue)),
    };

    /// <summary>The last phase a run reached: a failed run's last timed phase is the one it failed in.</summary>
    private static string? LastPhase(ProbePhases phases) =>
        phases.TransferMs is not null ? "transfer"
        : phases.TtfbMs is not null ? "ttfb"
        : phases.TlsMs is not null ? "tls"
        : phases.ConnectMs is not null ? "connect"
        : phases.DnsMs is not null ? "dns"
        : null;

    private static List<OverlappingMaintenance> Overlapping(IReadOnlyList<MaintenanceWindow> windows, ReportScope scope)
    {
        var found = windows
            .Where(w => w.Touches(scope.Region) && Overlaps(w, scope.From, scope.To))
            .Select(w => new OverlappingMaintenance
            {
                Name = w.Name,
                Status = w.Status,
                ScheduledFor = w.ScheduledFor,
                ScheduledUntil = w.ScheduledUntil,
                ResolvedAt = w.ResolvedAt,
                Components = [.. w.Components.Select(c => c.Name)],
                Link = w.Shortlink,
            })
            .ToList();
        // The status page keeps recent maintenances only: what the incident recorded when it opened stays evidence.
        var recorded = (scope.Incident?.ProviderMaintenance is { } named ? [named] : scope.MaintenanceNames)
            .Where(name => !found.Any(f => name.Contains(f.Name, StringComparison.OrdinalIgnoreCase)))
            .Distinct(StringComparer.Ordinal);
        found.AddRange(recorded.Select(name => new OverlappingMaintenance { Name = name, Status = "recorded" }));
        return found;
    }

    private static bool Overlaps(MaintenanceWindow window, DateTimeOffset from, DateTimeOffset to)
    {
        var start = window.ScheduledFor ?? DateTimeOffset.MinValue;
        var end = window.Status switch
        {
            "in_progress" or "verifying" => DateTimeOffset.MaxValue,
            "completed" => window.ResolvedAt ?? window.ScheduledUntil ?? start,
            _ => window.ScheduledUntil ?? start,
        };
        return start < to && end >= from;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    internal static string Utc(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>What the request resolved to: the region read, the window, the incident and the problem's window.</summary>
    private sealed record ReportScope(string Kind, string Region, DateTimeOffset From, DateTimeOffset To)
    {
        public Incident? Incident { get; init; }

        /// <summary>The subject's targets; null for every target of the region found in the window.</summary>
        public IReadOnlyList<string>? Targets { get; init; }

        /// <summary>Set for a target report: one target's row range is read instead of the region.</summary>
        public string? TargetOnly { get; init; }

        public DateTimeOffset? ProblemFrom { get; init; }

        public DateTimeOffset? ProblemTo { get; init; }

        public IReadOnlyList<string> IncidentIds { get; init; } = [];

        public IReadOnlyList<string> MaintenanceNames { get; init; } = [];

        public IReadOnlyList<string> CustomerChanges { get; init; } = [];
    }
}
