using Synthetics.Alerts;
using Synthetics.Lab.Telemetry;
using Synthetics.Results;

namespace Synthetics.Core.Tests.Alerts;

/// <summary>No property value is cut silently at Application Insights' 8,192-character limit.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes through IAsyncLifetime.")]
public sealed class ApplicationInsightsPropertyLimitTests : IAsyncLifetime
{
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

    [Fact]
    public async Task PublishResults_DetailsOf16K_ArriveInPartsThatJoinToTheWhole()
    {
        var failedChecks = Enumerable.Range(0, 700).Select(i => $"poststarthook/check-{i:0000}").ToArray();
        var result = new ProbeResult
        {
            Timestamp = new DateTimeOffset(2026, 3, 12, 14, 0, 0, TimeSpan.Zero),
            Vantage = "westeurope",
            Target = "ca-prod-api",
            TargetKind = "KubernetesApi",
            Probe = "kube-health",
            Region = "ca-central",
            Outcome = ProbeOutcome.Unhealthy,
            DurationMs = 40,
            Message = "readyz failing",
            Details = new Dictionary<string, object> { ["failedChecks"] = failedChecks },
        };
        var details = System.Text.Json.JsonSerializer.Serialize(result.Details, ProbeResultJson.Options);
        Assert.InRange(details.Length, 16_001, 3 * ApplicationInsightsPublisher.MaxPropertyLength);

        _publisher!.PublishResults([result]);
        Assert.True(await _publisher.FlushAsync(CancellationToken.None));

        var arrived = Assert.Single(await _receiver.WaitForAvailabilityResultsAsync(1, TimeSpan.FromSeconds(15)));
        var properties = arrived.Properties;
        Assert.All(properties.Values, v => Assert.True(v.Length <= ApplicationInsightsPublisher.MaxPropertyLength));
        Assert.Equal(details.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), properties["details.length"]);
        var joined = properties["details"] + properties["details.1"] + properties["details.2"];
        Assert.Equal(details, joined);
        Assert.False(properties.ContainsKey("details.3"));
    }

    [Fact]
    public void SetLong_ShortValue_OneProperty()
    {
        var properties = new Dictionary<string, string>();

        ApplicationInsightsPublisher.SetLong(properties, "details", new string('x', ApplicationInsightsPublisher.MaxPropertyLength));

        Assert.Equal(["details"], properties.Keys);
    }

    [Fact]
    public void SetLong_SurrogatePairAtTheBoundary_NotSplit()
    {
        var value = new string('x', ApplicationInsightsPublisher.MaxPropertyLength - 1) + "😀" + "tail";
        var properties = new Dictionary<string, string>();

        ApplicationInsightsPublisher.SetLong(properties, "details", value);

        Assert.Equal(ApplicationInsightsPublisher.MaxPropertyLength - 1, properties["details"].Length);
        Assert.StartsWith("😀", properties["details.1"], StringComparison.Ordinal);
        Assert.Equal(value, properties["details"] + properties["details.1"]);
    }

    [Fact]
    public void SetLong_BeyondThePartLimit_MarkedTruncatedWithTheFullLength()
    {
        var value = new string('x', 40 * ApplicationInsightsPublisher.MaxPropertyLength);
        var properties = new Dictionary<string, string>();

        ApplicationInsightsPublisher.SetLong(properties, "details", value);

        Assert.Equal("true", properties["details.truncated"]);
        Assert.Equal(value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), properties["details.length"]);
        Assert.True(properties.ContainsKey("details.31"));
        Assert.False(properties.ContainsKey("details.32"));
    }
}
