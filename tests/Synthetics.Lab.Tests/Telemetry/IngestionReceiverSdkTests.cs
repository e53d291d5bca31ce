using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.DataContracts;
using Microsoft.ApplicationInsights.Extensibility;
using Synthetics.Lab.Telemetry;

namespace Synthetics.Lab.Tests.Telemetry;

/// <summary>
/// The receiver against the real Microsoft.ApplicationInsights 3.x SDK. Each test builds its own
/// <see cref="TelemetryConfiguration"/>: <c>CreateDefault()</c> returns one process-wide instance that
/// cannot be changed once built, so it cannot point two tests at two receivers.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes through IAsyncLifetime.")]
public sealed class IngestionReceiverSdkTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly IngestionReceiver _receiver = new();
    private readonly Guid _instrumentationKey = Guid.NewGuid();
    private TelemetryConfiguration? _configuration;

    public async Task InitializeAsync() => await _receiver.StartAsync(CancellationToken.None);

    public async Task DisposeAsync()
    {
        _configuration?.Dispose();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task TrackAvailability_RealSdk_ArrivesWithNameRunLocationSuccessDurationAndProperties()
    {
        var client = CreateClient();
        var started = DateTimeOffset.UtcNow;

        client.TrackAvailability("ca-prod-api/tcp", started, TimeSpan.FromMilliseconds(1234), "westeurope", false, "connection refused",
            new Dictionary<string, string> { ["outcome"] = "refused", ["region"] = "ca-central" });
        client.TrackAvailability("ca-prod-api/tls", started, TimeSpan.FromMilliseconds(56), "westeurope", true);
        Assert.True(await client.FlushAsync(CancellationToken.None));

        var results = await _receiver.WaitForAvailabilityResultsAsync(2, Patience);
        var failed = Assert.Single(results, r => r.Name == "ca-prod-api/tcp");
        Assert.Equal("westeurope", failed.RunLocation);
        Assert.False(failed.Success);
        Assert.Equal(TimeSpan.FromMilliseconds(1234), failed.Duration);
        Assert.Equal("connection refused", failed.Message);
        Assert.Equal("refused", failed.Properties["outcome"]);
        Assert.Equal("ca-central", failed.Properties["region"]);
        Assert.False(string.IsNullOrEmpty(failed.Id));
        Assert.Equal("Availability", failed.Envelope.Name);
        Assert.True(Assert.Single(results, r => r.Name == "ca-prod-api/tls").Success);
        Assert.Equal(_instrumentationKey.ToString(), failed.Envelope.InstrumentationKey);
        Assert.Contains("ai.internal.sdkVersion", failed.Envelope.Tags.Keys);
    }

    [Fact]
    public async Task TrackEvent_RealSdk_ArrivesWithNameAndProperties()
    {
        var client = CreateClient();

        client.TrackEvent("IncidentOpened", new Dictionary<string, string> { ["scope"] = "region", ["region"] = "ca-central" });
        client.TrackTrace("probe cycle finished", SeverityLevel.Warning);
        client.Flush();

        var opened = Assert.Single(await _receiver.WaitForEventsAsync("IncidentOpened", 1, Patience));
        Assert.Equal("region", opened.Properties["scope"]);
        Assert.Equal("ca-central", opened.Properties["region"]);
        Assert.Equal("Event", opened.Envelope.Name);
        await _receiver.WaitUntilAsync(() => _receiver.Messages.Count > 0, Patience, "a trace");
        var trace = Assert.Single(_receiver.Messages);
        Assert.Equal("probe cycle finished", trace.Message);
        Assert.Equal("Warning", trace.SeverityLevel);
    }

    [Fact]
    public async Task TrackAvailability_ServiceUnavailable_AnsweredWith503AndNothingKept()
    {
        var client = CreateClient();
        _receiver.FailNext(1, 503);

        client.TrackAvailability("ca-prod-api/tcp", DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(5), "westeurope", true);
        client.Flush();
        await _receiver.WaitUntilAsync(() => _receiver.Posts.Count >= 1, Patience, "the failed post");

        Assert.Equal(503, Assert.Single(_receiver.Posts).StatusCode);
        Assert.Empty(_receiver.AvailabilityResults);

        // The failure mode is spent: the next item goes through.
        client.TrackAvailability("ca-prod-api/tls", DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(5), "westeurope", true);
        client.Flush();
        Assert.Equal("ca-prod-api/tls", Assert.Single(await _receiver.WaitForAvailabilityResultsAsync(1, Patience)).Name);
    }

    private TelemetryClient CreateClient()
    {
        _configuration = new TelemetryConfiguration
        {
            ConnectionString = _receiver.ConnectionString(_instrumentationKey),
            // Failed posts would otherwise be parked on disk and retried minutes later, outliving the test.
            DisableOfflineStorage = true,
            EnableLiveMetrics = false,
        };
        return new TelemetryClient(_configuration);
    }
}
