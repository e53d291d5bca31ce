using Microsoft.Extensions.Logging.Abstractions;
using Synthetics.Alerts;
using Synthetics.Configuration;
using Synthetics.Detection;
using Synthetics.Maintenance;
using Synthetics.Results;
using Synthetics.Storage;
using static System.FormattableString;

namespace Synthetics.Benchmarks;

/// <summary>
/// Fault run (c): three evaluators whose clocks are 5 s apart (one set clock each) evaluate the same stored
/// cycles every minute, all at once, on Azurite: a regional outage of eight minutes, then eight healthy ones. Counts the
/// incident events each published: one opened and one resolved is right; anything more is an incident twice.
/// </summary>
internal static class SkewedEvaluatorsRun
{
    private static readonly DateTimeOffset Onset = new(2026, 3, 12, 14, 0, 0, TimeSpan.Zero);
    private static readonly string[] Vantages = ["westeurope", "eastus2", "southeastasia"];
    private static readonly string[] Probes = ["tcp", "tls", "kube-health", "kube-api"];

    public static async Task<string> RunAsync(string connectionString, int badMinutes = 8, int goodMinutes = 8)
    {
        var tables = "Skew" + Guid.NewGuid().ToString("N")[..10];
        var options = new SyntheticsOptions
        {
            Storage = new StorageOptions
            {
                ConnectionString = connectionString,
                ResultsByTimeTable = $"{tables}ByTime",
                ResultsByTargetTable = $"{tables}ByTarget",
                CyclesTable = $"{tables}Cycles",
                IncidentsTable = $"{tables}Incidents",
            },
        };
        var wrapped = Microsoft.Extensions.Options.Options.Create(options);
        var service = ResultStorageServiceCollectionExtensions.CreateServiceClient(options.Storage);
        var store = new TableResultStore(service, wrapped, TimeProvider.System, NullLogger<TableResultStore>.Instance);
        var published = new CountingPublisher();
        var evaluators = Enumerable.Range(0, 3).Select(i =>
        {
            var clock = new SetClock { Now = Onset };
            var evaluator = new Evaluator(store, new TableIncidentStateStore(service, wrapped), published, new NoMaintenance(), wrapped, clock, NullLogger<Evaluator>.Instance);
            return (Clock: clock, Offset: TimeSpan.FromSeconds(5 * i), Evaluator: evaluator);
        }).ToList();

        var judged = 0;
        var skipped = 0;
        for (var minute = 1; minute <= badMinutes + goodMinutes; minute++)
        {
            var at = Onset.AddMinutes(minute - 1);
            foreach (var vantage in Vantages)
            {
                var failures = minute <= badMinutes ? 6 : 0;
                var results = Window("ca-prod-api", "ca-central", vantage, at, failures)
                    .Concat(Window("ca-staging-api", "ca-central", vantage, at, failures))
                    .Concat(Window("us-prod-api", "us-east", vantage, at, 0)).ToList();
                var cycle = new CycleRecord(vantage, at, results.Max(r => r.Timestamp) - at, results.Count, results.Count(r => !r.Success));
                await store.WriteCycleAsync(cycle, results, CancellationToken.None);
            }

            foreach (var (clock, offset, _) in evaluators)
            {
                clock.Now = Onset.AddMinutes(minute) + offset;
            }

            var reports = await Task.WhenAll(evaluators.Select(e => Task.Run(() => e.Evaluator.EvaluateAsync(CancellationToken.None))));
            judged += reports.Count(r => !r.Skipped);
            skipped += reports.Count(r => r.Skipped);
        }

        var events = published.Events;
        var opened = events.Count(e => e.Kind == IncidentEventKind.Opened);
        var resolved = events.Count(e => e.Kind == IncidentEventKind.Resolved);
        var incidents = events.Select(e => e.Incident.Id).Distinct(StringComparer.Ordinal).Count();
        return Invariant($"| skewed-evaluators | clocks 0, +5, +10 s; {badMinutes} bad + {goodMinutes} good minutes | {judged} judged, {skipped} skipped | {incidents} incidents | {opened} opened | {resolved} resolved | {events.Count} events published |");
    }

    private static IEnumerable<ProbeResult> Window(string target, string region, string vantage, DateTimeOffset at, int failures)
    {
        for (var p = 0; p < Probes.Length; p++)
        {
            for (var run = 0; run < 12; run++)
            {
                var failed = (run * Probes.Length) + p < failures;
                yield return new ProbeResult
                {
                    Timestamp = at.AddSeconds(run * 5),
                    Vantage = vantage,
                    Target = target,
                    TargetKind = "KubernetesApi",
                    Probe = Probes[p],
                    Region = region,
                    Outcome = failed ? ProbeOutcome.Timeout : ProbeOutcome.Ok,
                    DurationMs = failed ? 10_000 : 20,
                };
            }
        }
    }

    private sealed class CountingPublisher : ITelemetryPublisher
    {
        private readonly List<IncidentEvent> _events = [];

        public IReadOnlyList<IncidentEvent> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public bool IsEnabled => true;

        public void PublishResults(IEnumerable<ProbeResult> results)
        {
        }

        public void PublishIncident(IncidentEvent incidentEvent)
        {
            lock (_events)
            {
                _events.Add(incidentEvent);
            }
        }

        public Task<bool> FlushAsync(CancellationToken cancellationToken) => Task.FromResult(true);
    }

    /// <summary>One machine's clock, set by the run (the benchmark project does not reference the testing TimeProvider).</summary>
    private sealed class SetClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class NoMaintenance : IMaintenanceSource
    {
        public Task<IReadOnlyList<MaintenanceWindow>> GetAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<MaintenanceWindow>>([]);
    }
}
