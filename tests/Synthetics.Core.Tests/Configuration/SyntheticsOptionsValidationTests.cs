using Microsoft.Extensions.Configuration;
using Synthetics.Configuration;
using Synthetics.Core.Tests.Support;
using Synthetics.Core.Tests.Targets;

namespace Synthetics.Core.Tests.Configuration;

/// <summary>
/// Every rule of the <c>Synthetics</c> section, through the start-up validation a host runs (binding, the generated
/// validator, the hand-written ones): each fires on its own, as one line naming the setting, and the target when it is one.
/// </summary>
public sealed class SyntheticsOptionsValidationTests(PkiFixture fixture) : IClassFixture<PkiFixture>, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>One valid Tcp target, then <paramref name="key"/> set to <paramref name="value"/>.</summary>
    private static ConfigurationException Invalid(string key, string value, string? baseDirectory = null, Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Synthetics:VantagePoint"] = "local",
            ["Synthetics:Targets:0:Name"] = "a",
            ["Synthetics:Targets:0:Kind"] = "Tcp",
            ["Synthetics:Targets:0:Region"] = "r",
            ["Synthetics:Targets:0:Host"] = "h",
            ["Synthetics:Targets:0:Port"] = "1",
        };
        foreach (var (k, v) in more ?? [])
        {
            settings[k] = v;
        }

        settings[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return Assert.Throws<ConfigurationException>(() => CatalogHost.Build(configuration, baseDirectory));
    }

    [Fact]
    public void Validate_ValidSettings_BuildsTheTarget()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Synthetics:Targets:0:Name"] = "a",
            ["Synthetics:Targets:0:Kind"] = "Tcp",
            ["Synthetics:Targets:0:Region"] = "r",
            ["Synthetics:Targets:0:Host"] = "h",
            ["Synthetics:Targets:0:Port"] = "1",
        }).Build();

        Assert.Equal("a", Assert.Single(CatalogHost.Build(configuration, baseDirectory: null)).Name);
    }

    [Theory]
    [InlineData("Synthetics:VantagePoint", " ", "Synthetics:VantagePoint is required")]
    [InlineData("Synthetics:Probing:TimeoutSeconds", "0", "Synthetics:Probing:TimeoutSeconds must be > 0 and ≤ 300 (was 0)")]
    [InlineData("Synthetics:Probing:TimeoutSeconds", "301", "Synthetics:Probing:TimeoutSeconds must be > 0 and ≤ 300 (was 301)")]
    [InlineData("Synthetics:Probing:TimeoutSeconds", "NaN", "Synthetics:Probing:TimeoutSeconds must be > 0 and ≤ 300 (was NaN)")]
    [InlineData("Synthetics:Probing:MaxConcurrency", "0", "Synthetics:Probing:MaxConcurrency must be 1–1024 (was 0)")]
    [InlineData("Synthetics:Probing:MaxConcurrency", "1025", "Synthetics:Probing:MaxConcurrency must be 1–1024 (was 1025)")]
    [InlineData("Synthetics:Probing:CycleBudgetSeconds", "0", "Synthetics:Probing:CycleBudgetSeconds must be > 0 (was 0)")]
    [InlineData("Synthetics:Probing:SlowThresholdMs", "-1", "Synthetics:Probing:SlowThresholdMs must be > 0 (was -1)")]
    [InlineData("Synthetics:Probing:CertificateExpiryWarningDays", "-1", "Synthetics:Probing:CertificateExpiryWarningDays must be ≥ 0 (was -1)")]
    [InlineData("Synthetics:Probing:MaxStartsPerSecond", "-1", "Synthetics:Probing:MaxStartsPerSecond must be ≥ 0 (was -1)")]
    [InlineData("Synthetics:Probing:MaxBodyBytes", "0", "Synthetics:Probing:MaxBodyBytes must be ≥ 1 (was 0)")]
    [InlineData("Synthetics:ProbeSchedule", "* * * * *", "Synthetics:ProbeSchedule ")]
    [InlineData("Synthetics:EvaluationSchedule", "every minute", "Synthetics:EvaluationSchedule ")]
    [InlineData("Synthetics:RetentionSchedule", "0 * * * *", "Synthetics:RetentionSchedule ")]
    [InlineData("Synthetics:Detection:Window", "00:00:00", "Synthetics:Detection:Window must be positive (was 00:00:00)")]
    [InlineData("Synthetics:Detection:BaselineWindow", "-00:01:00", "Synthetics:Detection:BaselineWindow must not be negative")]
    [InlineData("Synthetics:Detection:SilentAfter", "00:00:00", "Synthetics:Detection:SilentAfter must be positive (was 00:00:00)")]
    [InlineData("Synthetics:Detection:InCycleAlpha", "0.001", "Synthetics:Detection:InCycleAlpha must be between ImmediateAlpha and Alpha (was 0.001)")]
    [InlineData("Synthetics:Detection:DegradedFailureRatio", "0.95", "Synthetics:Detection:DegradedFailureRatio and Synthetics:Detection:DownFailureRatio must be in (0, 1], degraded ≤ down")]
    [InlineData("Synthetics:Detection:DownFailureRatio", "1.5", "Synthetics:Detection:DegradedFailureRatio and Synthetics:Detection:DownFailureRatio must be in (0, 1], degraded ≤ down")]
    [InlineData("Synthetics:Detection:MinFailures", "0", "Synthetics:Detection:MinFailures and Synthetics:Detection:MinRunsForLatency must be at least 1")]
    [InlineData("Synthetics:Detection:MinRunsForLatency", "0", "Synthetics:Detection:MinFailures and Synthetics:Detection:MinRunsForLatency must be at least 1")]
    [InlineData("Synthetics:Detection:LatencyFactor", "1", "Synthetics:Detection:LatencyFactor must be above 1 and Synthetics:Detection:LatencyFloorMs not negative")]
    [InlineData("Synthetics:Detection:LatencyFloorMs", "-1", "Synthetics:Detection:LatencyFactor must be above 1 and Synthetics:Detection:LatencyFloorMs not negative")]
    [InlineData("Synthetics:Detection:MinAgreeingVantages", "0", "Synthetics:Detection:MinAgreeingVantages, RegionMinTargets, OpenAfter and ResolveAfter must be at least 1")]
    [InlineData("Synthetics:Detection:ResolveAfter", "0", "Synthetics:Detection:MinAgreeingVantages, RegionMinTargets, OpenAfter and ResolveAfter must be at least 1")]
    [InlineData("Synthetics:Storage:ConnectionString", "", "Synthetics:Storage:ConnectionString is required when Synthetics:Storage:Endpoint is not set")]
    [InlineData("Synthetics:Storage:Endpoint", "table.core.windows.net", "Synthetics:Storage:Endpoint 'table.core.windows.net' is not an absolute https URL (http only on loopback)")]
    [InlineData("Synthetics:Storage:ResultsByTargetTable", "SyntheticsResultsByMinute", "Synthetics:Storage:ResultsByTimeTable and ResultsByTargetTable must be different tables")]
    [InlineData("Synthetics:Storage:ResultsByTimeTable", "1bad", "Synthetics:Storage:ResultsByTimeTable '1bad' is not a table name")]
    [InlineData("Synthetics:Storage:RetentionDays", "3651", "Synthetics:Storage:RetentionDays must be 1–3650 (was 3651)")]
    [InlineData("Synthetics:Storage:RetentionBudgetSeconds", "601", "Synthetics:Storage:RetentionBudgetSeconds must be > 0 and ≤ 600 (was 601)")]
    [InlineData("Synthetics:Storage:RequestTimeoutSeconds", "0", "Synthetics:Storage:RequestTimeoutSeconds must be > 0 and ≤ 300 (was 0)")]
    [InlineData("Synthetics:Storage:ReadPageSize", "0", "Synthetics:Storage:ReadPageSize must be 1–1000 (was 0)")]
    [InlineData("Synthetics:Maintenance:StatusPageUrl", "status.linode.com", "Synthetics:Maintenance:StatusPageUrl 'status.linode.com' is not an absolute http or https URL (empty turns look-ups off)")]
    [InlineData("Synthetics:Maintenance:TimeoutSeconds", "0", "Synthetics:Maintenance:TimeoutSeconds must be > 0 and ≤ 300 (was 0)")]
    [InlineData("Synthetics:Targets:0:Port", "70000", "Synthetics:Targets[0] 'a': Port must be 1–65535 (was 70000)")]
    [InlineData("Synthetics:Targets:0:TimeoutSeconds", "300.5", "Synthetics:Targets[0] 'a': TimeoutSeconds must be > 0 and ≤ 300 (was 300.5)")]
    [InlineData("Synthetics:Targets:0:SlowThresholdMs", "0", "Synthetics:Targets[0] 'a': SlowThresholdMs must be > 0 (was 0)")]
    [InlineData("Synthetics:Targets:0:ExpectStatus", "99", "Synthetics:Targets[0] 'a': ExpectStatus must be 100–599 (was 99)")]
    [InlineData("Synthetics:Targets:0:LeaseDurationSeconds", "0", "Synthetics:Targets[0] 'a': LeaseDurationSeconds must be > 0 and ≤ 300 (was 0)")]
    [InlineData("Synthetics:Targets:0:RenewDeadlineSeconds", "-1", "Synthetics:Targets[0] 'a': RenewDeadlineSeconds must be > 0 and ≤ 300 (was -1)")]
    [InlineData("Synthetics:Targets:0:CanaryHoldSeconds", "400", "Synthetics:Targets[0] 'a': CanaryHoldSeconds must be > 0 and ≤ 300 (was 400)")]
    [InlineData("Synthetics:Targets:0:ApiCallTimeoutSeconds", "0", "Synthetics:Targets[0] 'a': ApiCallTimeoutSeconds must be > 0 and ≤ 300 (was 0)")]
    [InlineData("Synthetics:Targets:0:Kind", "1", "Synthetics:Targets[0] 'a': Kind '1' is unknown (KubernetesApi, Http or Tcp)")]
    [InlineData("Synthetics:Targets:0:Name", "", "Synthetics:Targets[0]: Name is required")]
    public void Validate_OneSettingWrong_FailsWithOneLineNamingIt(string key, string value, string expected)
    {
        var error = Invalid(key, value);

        var line = Assert.Single(error.Errors);
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public void Validate_ThirdTargetsPortOutOfRange_NamesIndexNameAndValue()
    {
        var error = Invalid("Synthetics:Targets:2:Port", "70000", more: new()
        {
            ["Synthetics:Targets:1:Name"] = "ca-api",
            ["Synthetics:Targets:1:Kind"] = "Tcp",
            ["Synthetics:Targets:1:Region"] = "ca-central",
            ["Synthetics:Targets:1:Host"] = "h",
            ["Synthetics:Targets:1:Port"] = "443",
            ["Synthetics:Targets:2:Name"] = "ca-web",
            ["Synthetics:Targets:2:Kind"] = "Tcp",
            ["Synthetics:Targets:2:Region"] = "ca-central",
            ["Synthetics:Targets:2:Host"] = "h",
        });

        Assert.Equal("Synthetics:Targets[2] 'ca-web': Port must be 1–65535 (was 70000)", Assert.Single(error.Errors));
    }

    [Fact]
    public void Validate_SeveralSectionsWrong_ReportsEachField()
    {
        var error = Invalid("Synthetics:Probing:MaxConcurrency", "0", more: new()
        {
            ["Synthetics:Detection:OpenAfter"] = "0",
            ["Synthetics:Storage:ReadPageSize"] = "0",
            ["Synthetics:ProbeSchedule"] = "never",
            ["Synthetics:Targets:0:Port"] = "0",
        });

        Assert.Equal(5, error.Errors.Count);
    }

    [Fact]
    public void Validate_UnknownSetting_StopsStartNamingIt()
    {
        var error = Invalid("Synthetics:Probing:TimeoutSecs", "5");

        Assert.Contains("TimeoutSecs", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LeaseDurationSeconds", "10", "RenewDeadlineSeconds", "10", "'k': LeaseDurationSeconds must be greater than RenewDeadlineSeconds (was 10 ≤ 10)")]
    [InlineData("RenewDeadlineSeconds", "6", "RetryPeriodSeconds", "5", "'k': RenewDeadlineSeconds must be greater than 1.2 × RetryPeriodSeconds (was 6 ≤ 1.2 × 5)")]
    [InlineData("ApiCallTimeoutSeconds", "12", "CanaryHoldSeconds", "30", "'k': ApiCallTimeoutSeconds must not exceed RenewDeadlineSeconds (was 12 > 10)")]
    [InlineData("RenewMarginWarningMs", "-1", "CanaryHoldSeconds", "40", "'k': RenewMarginWarningMs must be ≥ 0 and less than the renew deadline (was -1)")]
    [InlineData("CanaryHoldSeconds", "44", "ApiCallTimeoutSeconds", "5", "'k': CanaryHoldSeconds + ApiCallTimeoutSeconds + 2 must fit in Probing:CycleBudgetSeconds (was 51 > 50)")]
    [InlineData("CanaryNamespace", "-canary", "CanaryHoldSeconds", "40", "'k': CanaryNamespace '-canary' is not a valid namespace name")]
    public void Validate_CanaryTimingsDisagree_NamesTargetAndFields(string key, string value, string otherKey, string otherValue, string expected)
    {
        var error = InvalidKubernetes(new() { [key] = value, [otherKey] = otherValue });

        Assert.Contains(expected, Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TimeScaled_JudgesScaledSettingsAgainstScaledDefaults()
    {
        // At 10× the budget is 5 s and the defaults a target falls back on are scaled too (call 0.5 s, unwind 0.2 s):
        // a 45 s hold is 4.5 s, which with them is 5.2 s: over.
        var error = InvalidKubernetes(new() { ["CanaryHoldSeconds"] = "45" }, timeScale: "10");

        Assert.Contains("'k': CanaryHoldSeconds + ApiCallTimeoutSeconds + 0.2 must fit in Probing:CycleBudgetSeconds (was 5.2 > 5)", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TimeScaledDefaults_Pass()
    {
        var target = Assert.Single(Kubernetes(new(), timeScale: "10"));

        Assert.Equal(TimeSpan.FromSeconds(4), target.Canary!.Hold);
        Assert.Equal(TimeSpan.FromSeconds(1.5), target.Canary.LeaseDuration);
    }

    private ConfigurationException InvalidKubernetes(Dictionary<string, string> fields, string timeScale = "1") =>
        Assert.Throws<ConfigurationException>(() => Kubernetes(fields, timeScale));

    private IReadOnlyList<Synthetics.Targets.Target> Kubernetes(Dictionary<string, string> fields, string timeScale)
    {
        _dir.Write("k.kubeconfig", Kubeconfigs.WithToken("https://127.0.0.1:6443", fixture.Pki.Ca.CertificatePem, "tok"));
        var settings = new Dictionary<string, string?>
        {
            ["Synthetics:TimeScale"] = timeScale,
            ["Synthetics:Targets:0:Name"] = "k",
            ["Synthetics:Targets:0:Kind"] = "KubernetesApi",
            ["Synthetics:Targets:0:Region"] = "r",
            ["Synthetics:Targets:0:Kubeconfig"] = "k.kubeconfig",
        };
        foreach (var (key, value) in fields)
        {
            settings[$"Synthetics:Targets:0:{key}"] = value;
        }

        return CatalogHost.Build(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), _dir.Path);
    }
}
