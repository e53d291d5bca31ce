using System.Globalization;
using System.Text.Json;
using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.DataContracts;
using Microsoft.ApplicationInsights.Extensibility;
using Synthetics.Detection;
using Synthetics.Results;
using Synthetics.Targets;
using Synthetics.Threading;

namespace Synthetics.Alerts;

/// <summary>
/// Publishes through the real Microsoft.ApplicationInsights 3.x <see cref="TelemetryClient"/>. The 3.x SDK is built on
/// OpenTelemetry and sends availability results and events as log records: sampling is switched off for them here
/// (ratio 1, no trace-based log sampling), because a sampled-away failure is a missed alert.
/// </summary>
public sealed class ApplicationInsightsPublisher : ITelemetryPublisher, IDisposable
{
    /// <summary>Event names the alert rules in <c>infra/</c> query (contract with the infrastructure).</summary>
    public const string IncidentOpenedEvent = "SyntheticsIncidentOpened";

    public const string IncidentUpdatedEvent = "SyntheticsIncidentUpdated";

    public const string IncidentResolvedEvent = "SyntheticsIncidentResolved";

    /// <summary>
    /// A target this vantage does not probe because its kubeconfig or CA bundle cannot be had: sent each cycle instead
    /// of an availability result (a configuration problem is not the target's unavailability).
    /// </summary>
    public const string TargetNotProbedEvent = "SyntheticsTargetNotProbed";

    /// <summary>A provider maintenance about to touch monitored regions: stage <c>ahead</c> or <c>shortly</c>, once each.</summary>
    public const string MaintenanceAheadEvent = "SyntheticsMaintenanceAhead";

    /// <summary>A discovery run from the Linode API: what it found and changed, or why it failed (<c>succeeded</c> false).</summary>
    public const string DiscoveryEvent = "SyntheticsDiscovery";

    /// <summary>
    /// Application Insights cuts a property value at 8,192 characters without telling anyone. Longer values are sent in
    /// parts: <c>name</c> holds the first 8,192, <c>name.1</c>, <c>name.2</c>… the rest, and <c>name.length</c> the full
    /// length (so a query can join them and check nothing is missing). A result's <c>details</c> can reach 16K.
    /// </summary>
    public const int MaxPropertyLength = 8192;

    // Past this many parts (256K) the value is cut, said so in name.truncated: telemetry is not an archive.
    private const int MaxPropertyParts = 32;

    private readonly TelemetryConfiguration _configuration;
    private readonly TelemetryClient _client;

    public ApplicationInsightsPublisher(string connectionString, bool offlineStorage = true, Azure.Core.TokenCredential? credential = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _configuration = new TelemetryConfiguration
        {
            ConnectionString = connectionString,
            SamplingRatio = 1.0f,
            EnableTraceBasedLogsSampler = false,
            EnableLiveMetrics = false,
            DisableOfflineStorage = !offlineStorage,
        };
        if (credential is not null)
        {
            _configuration.SetAzureTokenCredential(credential);
        }

        _client = new TelemetryClient(_configuration);
    }

    public bool IsEnabled => true;

    public void PublishResults(IEnumerable<ProbeResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        foreach (var result in results)
        {
            if (result.Probe == UnresolvedTarget.Probe)
            {
                PublishNotProbed(result);
                continue;
            }

            var availability = new AvailabilityTelemetry(
                $"{result.Target}/{result.Probe}",
                result.Timestamp,
                TimeSpan.FromMilliseconds(result.DurationMs),
                result.Vantage,
                result.Success,
                result.Message ?? result.Outcome.ToContractName());
            var properties = availability.Properties;
            properties["outcome"] = result.Outcome.ToContractName();
            properties["target"] = result.Target;
            properties["targetKind"] = result.TargetKind;
            properties["probe"] = result.Probe;
            properties["region"] = result.Region;
            AddNumber(properties, "dnsMs", result.Phases.DnsMs);
            AddNumber(properties, "connectMs", result.Phases.ConnectMs);
            AddNumber(properties, "tlsMs", result.Phases.TlsMs);
            AddNumber(properties, "ttfbMs", result.Phases.TtfbMs);
            AddNumber(properties, "transferMs", result.Phases.TransferMs);
            if (result.StatusCode is { } status)
            {
                properties["statusCode"] = status.ToString(CultureInfo.InvariantCulture);
            }

            if (result.RemoteAddress is { } address)
            {
                properties["remoteAddress"] = address;
            }

            if (result.Details.Count > 0)
            {
                SetLong(properties, "details", JsonSerializer.Serialize(result.Details, ProbeResultJson.Options));
            }

            _client.TrackAvailability(availability);
        }
    }

    private void PublishNotProbed(ProbeResult result)
    {
        var telemetry = new EventTelemetry(TargetNotProbedEvent) { Timestamp = result.Timestamp };
        var properties = telemetry.Properties;
        properties["target"] = result.Target;
        properties["targetKind"] = result.TargetKind;
        properties["region"] = result.Region;
        properties["vantage"] = result.Vantage;
        properties["field"] = result.Details.TryGetValue("field", out var field) ? Convert.ToString(field, CultureInfo.InvariantCulture) ?? "" : "";
        SetLong(properties, "reason", result.Message ?? "");
        _client.TrackEvent(telemetry);
    }

    public void PublishDiscovery(Pipeline.DiscoveryRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var telemetry = new EventTelemetry(DiscoveryEvent) { Timestamp = run.At };
        var properties = telemetry.Properties;
        properties["vantage"] = run.Vantage;
        properties["succeeded"] = run.Succeeded ? "true" : "false";
        if (run.Failure is { } failure)
        {
            properties["failure"] = failure;
        }

        if (run.Result is { Succeeded: true } result)
        {
            properties["clusters"] = result.Clusters.ToString(CultureInfo.InvariantCulture);
            properties["nodeBalancers"] = result.NodeBalancers.ToString(CultureInfo.InvariantCulture);
            properties["targets"] = result.Targets.Count.ToString(CultureInfo.InvariantCulture);
        }

        if (run.Change is { } change)
        {
            SetLong(properties, "added", string.Join(",", change.Added));
            SetLong(properties, "missing", string.Join(",", change.Missing));
            SetLong(properties, "retired", string.Join(",", change.Retired));
        }

        _client.TrackEvent(telemetry);
    }

    public void PublishMaintenanceWarning(Maintenance.MaintenanceWarning warning, string vantage)
    {
        ArgumentNullException.ThrowIfNull(warning);
        var maintenance = warning.Maintenance;
        var telemetry = new EventTelemetry(MaintenanceAheadEvent);
        var properties = telemetry.Properties;
        properties["maintenanceId"] = maintenance.Id;
        properties["name"] = maintenance.Name;
        properties["stage"] = warning.Stage;
        properties["scheduledFor"] = maintenance.ScheduledFor?.ToString("O", CultureInfo.InvariantCulture) ?? "";
        properties["scheduledUntil"] = maintenance.ScheduledUntil?.ToString("O", CultureInfo.InvariantCulture) ?? "";
        properties["regions"] = string.Join(",", warning.Regions);
        properties["components"] = string.Join("; ", maintenance.Components.Select(c => c.Name));
        SetLong(properties, "targets", string.Join(",", warning.Targets));
        SetLong(properties, "watch", warning.Watch);
        properties["summary"] = warning.Summary;
        properties["shortlink"] = maintenance.Shortlink ?? "";
        properties["source"] = warning.Source;
        properties["notice"] = warning.Notice ?? "";
        SetLong(properties, "clusters", string.Join(",", warning.Clusters));
        properties["sourceFailure"] = warning.SourceFailure ?? "";
        properties["vantage"] = vantage;
        _client.TrackEvent(telemetry);
    }

    public void PublishIncident(IncidentEvent incidentEvent)
    {
        ArgumentNullException.ThrowIfNull(incidentEvent);
        var incident = incidentEvent.Incident;
        var name = incidentEvent.Kind switch
        {
            IncidentEventKind.Opened => IncidentOpenedEvent,
            IncidentEventKind.Updated => IncidentUpdatedEvent,
            _ => IncidentResolvedEvent,
        };
        var telemetry = new EventTelemetry(name) { Timestamp = incidentEvent.At };
        var properties = telemetry.Properties;
        properties["incidentId"] = incident.Id;
        properties["severity"] = IncidentSeverity.Of(incident).ToString(CultureInfo.InvariantCulture);
        properties["scope"] = incident.Scope.ToString().ToLowerInvariant();
        properties["region"] = incident.Region ?? "";
        SetLong(properties, "targets", string.Join(",", incident.Targets));
        SetLong(properties, "vantages", string.Join(",", incident.Vantages));
        properties["state"] = incident.State.ToString().ToLowerInvariant();
        properties["leadingOutcome"] = incident.LeadingOutcome?.ToContractName() ?? "";
        SetLong(properties, "outcomes", JsonSerializer.Serialize(incident.Outcomes.ToDictionary(o => o.Key.ToContractName(), o => o.Value)));
        // What the CLI notice shows, ready to read: the alert rules put these in the email as they are.
        properties["subject"] = IncidentNotice.Subject(incidentEvent);
        SetLong(properties, "outcomesSummary", IncidentNotice.Outcomes(incident));
        SetLong(properties, "next", IncidentNotice.NextStep(incident));
        // How to get the incident's evidence report: the email carries it beside the next step.
        SetLong(properties, "evidence", IncidentNotice.EvidenceReference(incident));
        SetLong(properties, "latency", JsonSerializer.Serialize(incident.Latency, ProbeResultJson.Options));
        SetLong(properties, "summary", incident.Summary);
        if (incident.ProviderMaintenance is { } maintenance)
        {
            properties["providerMaintenance"] = maintenance;
        }

        // Whose side it is likely on, and the account's own changes that overlap it (empty when none).
        properties["attribution"] = incident.Attribution ?? "";
        SetLong(properties, "customerChanges", string.Join("; ", incident.CustomerChanges));
        properties["firstSeenAt"] = Format(incident.FirstSeenAt);
        properties["openedAt"] = incident.OpenedAt is { } opened ? Format(opened) : "";
        if (incident.ResolvedAt is { } resolved)
        {
            properties["resolvedAt"] = Format(resolved);
        }

        _client.TrackEvent(telemetry);
    }

    /// <summary>
    /// Waits until the exporter has sent what is buffered. The SDK's flush blocks its thread until the send ends (its own
    /// <c>FlushAsync</c> only moves that wait onto a thread-pool thread), so it runs on a thread of its own here: a parked
    /// pool thread would delay the probes running beside it, and their delay would be reported as the targets' latency.
    /// False when cancelled (the send goes on in the background) or when the SDK failed.
    /// </summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        try
        {
            return await DedicatedThread.RunAsync("Application Insights flush", () =>
            {
                _client.Flush();
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // As the SDK's own flush: a failed flush is reported, never thrown into the cycle that asked for it.
            return false;
        }
    }

    public void Dispose() => _configuration.Dispose();

    /// <summary>Sets <paramref name="name"/>, in parts when longer than <see cref="MaxPropertyLength"/> (see there).</summary>
    internal static void SetLong(IDictionary<string, string> properties, string name, string value)
    {
        if (value.Length <= MaxPropertyLength)
        {
            properties[name] = value;
            return;
        }

        properties[$"{name}.length"] = value.Length.ToString(CultureInfo.InvariantCulture);
        var start = 0;
        for (var part = 0; start < value.Length; part++)
        {
            if (part == MaxPropertyParts)
            {
                properties[$"{name}.truncated"] = "true";
                return;
            }

            var length = Math.Min(MaxPropertyLength, value.Length - start);
            // Never split a surrogate pair: each part must be valid text on its own.
            if (start + length < value.Length && char.IsHighSurrogate(value[start + length - 1]))
            {
                length--;
            }

            properties[part == 0 ? name : $"{name}.{part}"] = value.Substring(start, length);
            start += length;
        }
    }

    private static void AddNumber(IDictionary<string, string> properties, string name, double? value)
    {
        if (value is { } v)
        {
            properties[name] = v.ToString("0.###", CultureInfo.InvariantCulture);
        }
    }

    private static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
