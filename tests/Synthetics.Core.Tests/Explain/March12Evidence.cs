using System.Globalization;
using Synthetics.Detection;
using Synthetics.Maintenance;
using Synthetics.Results;
using Synthetics.Storage;
using Synthetics.Targets;

namespace Synthetics.Core.Tests.Explain;

/// <summary>
/// A March-12-shaped incident written to a real store: three vantages probing ca-central (a control plane, a web
/// NodeBalancer, a TCP port) and us-east once a minute with the probes they run in the lab; for ten minutes every
/// ca-central NodeBalancer stalls 8% and resets 3% of new connections during a "NodeBalancer improvements" maintenance;
/// the incident's events (opened as target, upgraded to region, resolved) as the evaluator keeps them; one vantage's
/// cycle records per minute. Shared by the evidence tests, the CLI's, the Function App's and the benchmark.
/// </summary>
internal sealed class March12Evidence
{
    public static readonly string[] Vantages = ["asia-east", "eu-west", "us-central"];

    public static readonly (string Name, string Kind, string Region, string[] Probes, string Remote)[] Targets =
    [
        ("ca-prod-api", "KubernetesApi", "ca-central", ["tcp", "tls", "kube-health", "kube-api", "lease-canary", "watch"], "203.0.113.10:443"),
        ("ca-web", "Http", "ca-central", ["tcp", "tls", "http"], "203.0.113.20:443"),
        ("ca-web-tcp", "Tcp", "ca-central", ["tcp"], "203.0.113.20:443"),
        ("us-prod-api", "KubernetesApi", "us-east", ["tcp", "tls", "kube-health", "kube-api", "lease-canary", "watch"], "198.51.100.10:443"),
    ];

    /// <summary>A message no renderer may pass through as markup: it tries to close a table cell and open a script.</summary>
    public const string HostileMessage = "</td></tr></table><script>alert('x')</script> | # [click](javascript:alert(1)) **bold** `tick` <img src=x onerror=alert(2)>";

    public const string MaintenanceName = "NodeBalancer improvements";

    private March12Evidence(DateTimeOffset start, TimeSpan onset, TimeSpan fault, IReadOnlyList<ProbeResult> results, string incidentId)
    {
        Start = start;
        Onset = start + onset;
        FaultEnd = start + onset + fault;
        Results = results;
        IncidentId = incidentId;
    }

    public DateTimeOffset Start { get; }

    public DateTimeOffset Onset { get; }

    public DateTimeOffset FaultEnd { get; }

    /// <summary>Everything written.</summary>
    public IReadOnlyList<ProbeResult> Results { get; }

    public string IncidentId { get; }

    public DateTimeOffset FirstSeenAt => Onset.AddMinutes(3);

    public DateTimeOffset ResolvedAt => FaultEnd.AddMinutes(5);

    /// <summary>The status page's record of the maintenance (completed a minute after the faults cleared).</summary>
    public IReadOnlyList<MaintenanceWindow> Maintenances =>
    [
        new MaintenanceWindow
        {
            Id = "nb-improvements",
            Name = MaintenanceName,
            Status = "completed",
            ScheduledFor = Onset.AddMinutes(-2),
            ScheduledUntil = FaultEnd.AddMinutes(10),
            ResolvedAt = FaultEnd.AddMinutes(1),
            Components = [ProviderComponent.Parse("CA-Central (Toronto) NodeBalancers")],
            Shortlink = "https://status.example.test/incidents/nb-improvements",
        },
    ];

    /// <summary>The status page as it read after the incident: <see cref="Maintenances"/>.</summary>
    public IMaintenanceSource StatusPage() => new FixedStatusPage(Maintenances);

    /// <summary>A status page that answers <paramref name="windows"/>.</summary>
    public static IMaintenanceSource StatusPage(IReadOnlyList<MaintenanceWindow> windows) => new FixedStatusPage(windows);

    /// <summary>The targets as a catalog holds them: the control planes with <paramref name="bearerToken"/>, which no report may show.</summary>
    public static TargetCatalog Catalog(string bearerToken) => new(
    [
        .. Targets.Select(t => new Target
        {
            Name = t.Name,
            Kind = Enum.Parse<TargetKind>(t.Kind),
            Region = t.Region,
            Endpoint = new TargetEndpoint(t.Remote.Split(':')[0], 443, UseTls: t.Kind != "Tcp"),
            Timeout = TimeSpan.FromSeconds(10),
            SlowThreshold = TimeSpan.FromSeconds(2),
            Probes = t.Probes.ToHashSet(),
            Http = t.Kind == "Http" ? new HttpExpectation(new Uri($"https://{t.Remote.Split(':')[0]}/healthz"), 200, null) : null,
            Kubernetes = t.Kind == "KubernetesApi"
                ? new KubernetesCredentials { Server = new Uri($"https://{t.Remote}"), BearerToken = bearerToken, KubeconfigPath = "/secrets/ca-prod.kubeconfig" }
                : null,
        }),
    ]);

    /// <summary><see cref="Catalog"/> as the probe cycles and the reports read it: always that catalog.</summary>
    public static ITargetCatalogSource CatalogSource(string bearerToken) => new FixedCatalog(Catalog(bearerToken));

    /// <summary>
    /// Writes <paramref name="minutes"/> minutes of results starting at <paramref name="start"/>, the faults from
    /// <paramref name="onset"/> for <paramref name="fault"/>, and the incident's history.
    /// </summary>
    public static async Task<March12Evidence> WriteAsync(
        IResultStore store, IIncidentStateStore incidents, DateTimeOffset start, int minutes = 60, TimeSpan? onset = null, TimeSpan? fault = null, int seed = 20240312)
    {
        var onsetAfter = onset ?? TimeSpan.FromMinutes(30);
        var faultFor = fault ?? TimeSpan.FromMinutes(10);
        var random = new Random(seed);
        var results = new List<ProbeResult>();
        var cycles = new List<(CycleRecord Cycle, List<ProbeResult> Results)>();
        var hostileWritten = false;
        for (var minute = 0; minute < minutes; minute++)
        {
            for (var v = 0; v < Vantages.Length; v++)
            {
                var cycleStart = start.AddMinutes(minute).AddMilliseconds(v * 700 + random.Next(0, 200));
                var faulty = cycleStart >= start + onsetAfter && cycleStart < start + onsetAfter + faultFor;
                var own = new List<ProbeResult>();
                var offset = 0;
                foreach (var (name, kind, region, probes, remote) in Targets)
                {
                    foreach (var probe in probes)
                    {
                        var at = cycleStart.AddMilliseconds(offset += 3);
                        var roll = random.NextDouble();
                        var result = faulty && region == "ca-central" && probe is not "lease-canary" && roll < 0.11
                            ? Failed(at, Vantages[v], name, kind, region, probe, remote, reset: roll >= 0.08, random)
                            : Healthy(at, Vantages[v], name, kind, region, probe, remote, random);
                        if (!result.Success && !hostileWritten)
                        {
                            result = result with { Message = HostileMessage };
                            hostileWritten = true;
                        }

                        own.Add(result);
                    }
                }

                results.AddRange(own);
                cycles.Add((new CycleRecord(Vantages[v], cycleStart, TimeSpan.FromSeconds(41 + random.NextDouble()), own.Count, own.Count(r => !r.Success))
                {
                    ColdStart = minute == 0,
                }, own));
            }
        }

        await store.WriteAsync(results, CancellationToken.None);
        foreach (var batch in cycles.Chunk(16))
        {
            await Task.WhenAll(batch.Select(c => store.WriteCycleAsync(c.Cycle, [], CancellationToken.None)));
        }

        var onsetAt = start + onsetAfter;
        var id = "provider:ca-central@" + onsetAt.AddMinutes(4).UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var evidence = new March12Evidence(start, onsetAfter, faultFor, results, id);
        var failedOutcomes = results.Where(r => !r.Success && r.Region == "ca-central").GroupBy(r => r.Outcome).ToDictionary(g => g.Key, g => g.Count());
        var opened = new Incident
        {
            Id = id,
            Key = "provider:ca-central",
            Scope = IncidentScope.Target,
            Region = "ca-central",
            Targets = ["ca-prod-api"],
            Vantages = [.. Vantages],
            State = HealthState.Degraded,
            LeadingOutcome = ProbeOutcome.Timeout,
            Outcomes = failedOutcomes,
            Summary = "ca-prod-api degraded: new connections time out or reset from 3 vantage points",
            ProviderMaintenance = $"{MaintenanceName} (CA-Central (Toronto) NodeBalancers), in progress",
            FirstSeenAt = evidence.FirstSeenAt,
            OpenedAt = onsetAt.AddMinutes(4),
        };
        var regional = opened with { Scope = IncidentScope.Region, Targets = ["ca-prod-api", "ca-web", "ca-web-tcp"], Summary = "region ca-central degraded: 3 targets from 3 vantage points" };
        await incidents.RecordAsync(new IncidentEvent(IncidentEventKind.Opened, opened, onsetAt.AddMinutes(4)), CancellationToken.None);
        await incidents.RecordAsync(new IncidentEvent(IncidentEventKind.Updated, regional, onsetAt.AddMinutes(5)), CancellationToken.None);
        await incidents.RecordAsync(new IncidentEvent(IncidentEventKind.Resolved, regional with { ResolvedAt = evidence.ResolvedAt, Summary = "degraded: 0 of 36 probe runs failed" }, evidence.ResolvedAt), CancellationToken.None);
        return evidence;
    }

    private static ProbeResult Healthy(DateTimeOffset at, string vantage, string target, string kind, string region, string probe, string remote, Random random)
    {
        var connect = 0.6 + random.NextDouble();
        var duration = probe switch
        {
            "lease-canary" or "watch" => 40_000 + random.Next(0, 500),
            "tcp" => connect,
            "tls" => connect + 4 + random.NextDouble() * 3,
            _ => connect + 6 + random.NextDouble() * 12,
        };
        return new ProbeResult
        {
            Timestamp = at,
            Vantage = vantage,
            Target = target,
            TargetKind = kind,
            Probe = probe,
            Region = region,
            Outcome = ProbeOutcome.Ok,
            DurationMs = duration,
            Phases = probe is "tcp" or "tls" or "http" or "kube-health"
                ? new ProbePhases { ConnectMs = connect, TlsMs = probe == "tcp" ? null : 4.2 }
                : ProbePhases.None,
            StatusCode = probe is "http" or "kube-health" ? 200 : null,
            RemoteAddress = remote,
        };
    }

    private static ProbeResult Failed(DateTimeOffset at, string vantage, string target, string kind, string region, string probe, string remote, bool reset, Random random)
    {
        var connect = 0.6 + random.NextDouble();
        var details = new Dictionary<string, object>(StringComparer.Ordinal);
        if (probe is "kube-api" or "kube-health")
        {
            // What "Detection with statistical power" adds: the request's Audit-ID and whether the server echoed it.
            details["auditId"] = new Guid(random.Next(), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10).ToString();
            details["auditIdEchoed"] = false;
        }

        return new ProbeResult
        {
            Timestamp = at,
            Vantage = vantage,
            Target = target,
            TargetKind = kind,
            Probe = probe,
            Region = region,
            Outcome = probe == "watch" ? ProbeOutcome.WatchDropped : reset ? ProbeOutcome.Reset : ProbeOutcome.Timeout,
            DurationMs = reset ? connect + 1.5 : 10_000,
            Phases = probe == "tcp" ? new ProbePhases { ConnectMs = reset ? connect : 10_000 } : new ProbePhases { ConnectMs = connect, TlsMs = reset ? 1.5 : 9_999 },
            RemoteAddress = remote,
            Message = probe == "watch" ? "watch cut after 31 s without a close" : reset ? "connection reset by peer during TLS handshake" : "no answer within 10 s during TLS handshake",
            Details = details,
        };
    }

    private sealed class FixedStatusPage(IReadOnlyList<MaintenanceWindow> windows) : IMaintenanceSource
    {
        public Task<IReadOnlyList<MaintenanceWindow>> GetAsync(CancellationToken cancellationToken) => Task.FromResult(windows);
    }

    private sealed class FixedCatalog(TargetCatalog catalog) : ITargetCatalogSource
    {
        public Task<TargetCatalog> GetAsync(CancellationToken cancellationToken) => Task.FromResult(catalog);
    }
}
