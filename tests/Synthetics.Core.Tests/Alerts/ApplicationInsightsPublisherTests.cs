using Synthetics.Alerts;
using Synthetics.Detection;
using Synthetics.Lab.Telemetry;
using Synthetics.Maintenance;
using Synthetics.Results;

namespace Synthetics.Core.Tests.Alerts;

/// <summary>The real Application Insights SDK against the lab's ingestion receiver: what on-call's alert rules will see.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes through IAsyncLifetime.")]
public sealed class ApplicationInsightsPublisherTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly IngestionReceiver _receiver = new();
    private ApplicationInsightsPublisher? _publisher;

    public async Task InitializeAsync()
    {
        await _receiver.StartAsync(CancellationToken.None);
        _publisher = new ApplicationInsightsPublisher(_receiver.ConnectionString(Guid.NewGuid()), offlineStorage: false);
    }

    public async Task DisposeAsync()
    {
        _publisher?.Dispose();
        await _receiver.DisposeAsync();
    }

    private static ProbeResult Result(string probe, ProbeOutcome outcome, int index = 0) => new()
    {
        Timestamp = new DateTimeOffset(2026, 3, 12, 14, 0, index, TimeSpan.Zero),
        Vantage = "westeurope",
        Target = "ca-prod-api",
        TargetKind = "KubernetesApi",
        Probe = probe,
        Region = "ca-central",
        Outcome = outcome,
        DurationMs = 12_000,
        Phases = new ProbePhases { ConnectMs = 1.5, TlsMs = 11_998 },
        RemoteAddress = "203.0.113.10",
        Message = outcome == ProbeOutcome.Ok ? null : "no answer within 12 s during TLS handshake",
        Details = new Dictionary<string, object> { ["certDaysLeft"] = 42.5 },
    };

    [Fact]
    public async Task PublishResults_EveryResult_ArrivesAsAvailabilityWithOutcomeAndPhases()
    {
        var results = Enumerable.Range(0, 50).Select(i => Result(i % 2 == 0 ? "tls" : "tcp", i % 10 == 0 ? ProbeOutcome.Timeout : ProbeOutcome.Ok, i)).ToList();

        _publisher!.PublishResults(results);
        Assert.True(await _publisher.FlushAsync(CancellationToken.None));

        var arrived = await _receiver.WaitForAvailabilityResultsAsync(50, Patience);
        Assert.Equal(50, arrived.Count); // nothing sampled away
        var failed = arrived.Where(a => !a.Success).ToList();
        Assert.Equal(5, failed.Count);
        var first = failed[0];
        Assert.Equal("ca-prod-api/tls", first.Name);
        Assert.Equal("westeurope", first.RunLocation);
        Assert.Equal(TimeSpan.FromSeconds(12), first.Duration);
        Assert.Equal("no answer within 12 s during TLS handshake", first.Message);
        Assert.Equal("timeout", first.Properties["outcome"]);
        Assert.Equal("ca-central", first.Properties["region"]);
        Assert.Equal("11998", first.Properties["tlsMs"]);
        Assert.Equal("""{"certDaysLeft":42.5}""", first.Properties["details"]);
    }

    [Fact]
    public async Task PublishResults_TargetNotProbed_ArrivesAsItsOwnEventNotAsUnavailability()
    {
        var notProbed = Result(Synthetics.Targets.UnresolvedTarget.Probe, ProbeOutcome.Error) with
        {
            DurationMs = 0,
            Phases = new ProbePhases(),
            RemoteAddress = null,
            Message = "not probed: KubeconfigContent is a Key Vault reference the platform did not resolve",
            Details = new Dictionary<string, object> { ["unresolved"] = true, ["field"] = "KubeconfigContent" },
        };

        _publisher!.PublishResults([notProbed, Result("tcp", ProbeOutcome.Ok)]);
        Assert.True(await _publisher.FlushAsync(CancellationToken.None));

        var arrived = Assert.Single(await _receiver.WaitForEventsAsync(ApplicationInsightsPublisher.TargetNotProbedEvent, 1, Patience));
        Assert.Equal("ca-prod-api", arrived.Properties["target"]);
        Assert.Equal("westeurope", arrived.Properties["vantage"]);
        Assert.Equal("ca-central", arrived.Properties["region"]);
        Assert.Equal("KubeconfigContent", arrived.Properties["field"]);
        Assert.Equal(notProbed.Message, arrived.Properties["reason"]);
        Assert.Equal("ca-prod-api/tcp", Assert.Single(await _receiver.WaitForAvailabilityResultsAsync(1, Patience)).Name);
    }

    [Fact]
    public async Task PublishIncident_Opened_ArrivesAsEventWithWhatOnCallNeeds()
    {
        var incident = new Incident
        {
            Id = "region:ca-central@20260312T140200Z",
            Key = "region:ca-central",
            Scope = IncidentScope.Region,
            Region = "ca-central",
            Targets = ["ca-prod-api", "ca-staging-api"],
            Vantages = ["eu-west", "us-central"],
            State = HealthState.Degraded,
            LeadingOutcome = ProbeOutcome.Timeout,
            Outcomes = new Dictionary<ProbeOutcome, int> { [ProbeOutcome.Timeout] = 17, [ProbeOutcome.Reset] = 6 },
            Summary = "degraded: 23 of 288 probe runs failed (8%), mostly timeout",
            FirstSeenAt = new DateTimeOffset(2026, 3, 12, 14, 1, 0, TimeSpan.Zero),
            OpenedAt = new DateTimeOffset(2026, 3, 12, 14, 2, 0, TimeSpan.Zero),
        };

        _publisher!.PublishIncident(new IncidentEvent(IncidentEventKind.Opened, incident, incident.OpenedAt!.Value));
        await _publisher.FlushAsync(CancellationToken.None);

        var opened = Assert.Single(await _receiver.WaitForEventsAsync("SyntheticsIncidentOpened", 1, Patience));
        Assert.Equal("region:ca-central@20260312T140200Z", opened.Properties["incidentId"]);
        Assert.Equal("1", opened.Properties["severity"]);
        Assert.Equal("region", opened.Properties["scope"]);
        Assert.Equal("ca-prod-api,ca-staging-api", opened.Properties["targets"]);
        Assert.Equal("eu-west,us-central", opened.Properties["vantages"]);
        Assert.Equal("timeout", opened.Properties["leadingOutcome"]);
        Assert.Equal("""{"timeout":17,"reset":6}""", opened.Properties["outcomes"]);
        Assert.Equal("2026-03-12T14:01:00Z", opened.Properties["firstSeenAt"]);
        Assert.Equal(
            "evidence --incident 'region:ca-central@20260312T140200Z' (CLI) or GET /api/evidence?incident=region%3Aca-central%4020260312T140200Z (Function App, function key)",
            opened.Properties["evidence"]);
    }

    [Fact]
    public async Task PublishIncident_CustomerChangeOverlaps_CarriesTheAttributionAndTheChange()
    {
        var incident = new Incident
        {
            Id = "provider:ca-central@20260312T140200Z",
            Key = "provider:ca-central",
            Scope = IncidentScope.Target,
            Region = "ca-central",
            Targets = ["ca-prod-api"],
            Vantages = ["eu-west", "us-central"],
            State = HealthState.Degraded,
            Summary = "degraded: resets on ca-prod-api",
            Attribution = IncidentAttribution.Customer,
            CustomerChanges = ["lke_cluster_update on LKE cluster ca-prod (1001) at 2026-03-12T13:58Z by ops"],
            FirstSeenAt = new DateTimeOffset(2026, 3, 12, 14, 1, 0, TimeSpan.Zero),
            OpenedAt = new DateTimeOffset(2026, 3, 12, 14, 2, 0, TimeSpan.Zero),
        };

        _publisher!.PublishIncident(new IncidentEvent(IncidentEventKind.Opened, incident, incident.OpenedAt!.Value));
        await _publisher.FlushAsync(CancellationToken.None);

        var opened = Assert.Single(await _receiver.WaitForEventsAsync("SyntheticsIncidentOpened", 1, Patience));
        Assert.Equal("customer", opened.Properties["attribution"]);
        Assert.Equal("lke_cluster_update on LKE cluster ca-prod (1001) at 2026-03-12T13:58Z by ops", opened.Properties["customerChanges"]);
        Assert.StartsWith("check your own change", opened.Properties["next"], StringComparison.Ordinal);
    }
}
