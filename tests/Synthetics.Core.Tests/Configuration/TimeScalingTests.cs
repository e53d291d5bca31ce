using Microsoft.Extensions.Configuration;
using Synthetics.Configuration;
using Synthetics.Targets;

namespace Synthetics.Core.Tests.Configuration;

public sealed class TimeScalingTests
{
    private static SyntheticsOptions Bind(Dictionary<string, string?> settings) =>
        SyntheticsConfiguration.Bind(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), baseDirectory: null);

    [Fact]
    public void Bind_TimeScaleSix_DividesEveryShippedDurationAndMultipliesRates()
    {
        var options = Bind(new() { ["Synthetics:TimeScale"] = "6" });
        var shipped = new SyntheticsOptions();

        Assert.Equal(shipped.Probing.TimeoutSeconds / 6, options.Probing.TimeoutSeconds);
        Assert.Equal(shipped.Probing.CycleBudgetSeconds / 6, options.Probing.CycleBudgetSeconds);
        Assert.Equal(shipped.Probing.SlowThresholdMs / 6, options.Probing.SlowThresholdMs);
        Assert.Equal(shipped.Probing.MaxStartsPerSecond * 6, options.Probing.MaxStartsPerSecond);
        Assert.Equal(shipped.Detection.Window / 6, options.Detection.Window);
        Assert.Equal(shipped.Storage.FlushBudgetSeconds / 6, options.Storage.FlushBudgetSeconds);
        Assert.Equal(shipped.Storage.RequestTimeoutSeconds / 6, options.Storage.RequestTimeoutSeconds);
        Assert.Equal(shipped.Storage.RetentionBudgetSeconds / 6, options.Storage.RetentionBudgetSeconds);
        Assert.Equal(shipped.Maintenance.TimeoutSeconds / 6, options.Maintenance.TimeoutSeconds);
    }

    [Fact]
    public void Bind_TimeScaleSix_LeavesCountsRatiosDaysAndSchedulesAlone()
    {
        var options = Bind(new() { ["Synthetics:TimeScale"] = "6" });
        var shipped = new SyntheticsOptions();

        Assert.Equal(shipped.Probing.MaxConcurrency, options.Probing.MaxConcurrency);
        Assert.Equal(shipped.Probing.MaxBodyBytes, options.Probing.MaxBodyBytes);
        Assert.Equal(shipped.Probing.CertificateExpiryWarningDays, options.Probing.CertificateExpiryWarningDays);
        Assert.Equal(shipped.Storage.RetentionDays, options.Storage.RetentionDays);
        Assert.Equal(shipped.Storage.ReadPageSize, options.Storage.ReadPageSize);
        Assert.Equal(shipped.Detection.DegradedFailureRatio, options.Detection.DegradedFailureRatio);
        Assert.Equal(shipped.Detection.OpenAfter, options.Detection.OpenAfter);
        // Schedules keep their expression; their ticks are scaled where they are computed (CronSchedule).
        Assert.Equal(shipped.ProbeSchedule, options.ProbeSchedule);
        Assert.Equal(6, options.TimeScale);
    }

    [Fact]
    public void Bind_TimeScaleWithConfiguredAndPerTargetValues_ScalesThemAndKeepsUnsetOnesUnset()
    {
        var options = Bind(new()
        {
            ["Synthetics:TimeScale"] = "5",
            ["Synthetics:Probing:TimeoutSeconds"] = "20",
            ["Synthetics:Targets:0:Name"] = "ca-api",
            ["Synthetics:Targets:0:CanaryHoldSeconds"] = "40",
            ["Synthetics:Targets:0:RenewMarginWarningMs"] = "5000",
        });

        Assert.Equal(4, options.Probing.TimeoutSeconds);
        var target = Assert.Single(options.Targets);
        Assert.Equal(8, target.CanaryHoldSeconds);
        Assert.Equal(1000, target.RenewMarginWarningMs);
        Assert.Null(target.TimeoutSeconds);
        Assert.Null(target.LeaseDurationSeconds);
    }

    [Fact]
    public void Bind_TimeScaleOne_ChangesNothing()
    {
        var options = Bind([]);
        var shipped = new SyntheticsOptions();

        Assert.Equal(shipped.Probing.TimeoutSeconds, options.Probing.TimeoutSeconds);
        Assert.Equal(shipped.Detection.Window, options.Detection.Window);
        Assert.Equal(TimeScaling.RealTime, options.TimeScale);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("1000")]
    public void Bind_TimeScaleOutOfRange_NamesTheSetting(string scale)
    {
        var error = Assert.Throws<ConfigurationException>(() => Bind(new() { ["Synthetics:TimeScale"] = scale }));

        Assert.Contains("Synthetics:TimeScale must be > 0 and ≤ 100", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_CanaryDefaults_ScalesEveryTimingOfTheElectionAndTheHeldProbes()
    {
        var scaled = TimeScaling.Apply(KubernetesCanarySettings.Default with { }, 5);

        Assert.Equal(TimeSpan.FromSeconds(3), scaled.LeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(2), scaled.RenewDeadline);
        Assert.Equal(TimeSpan.FromSeconds(0.4), scaled.RetryPeriod);
        Assert.Equal(TimeSpan.FromSeconds(8), scaled.Hold);
        Assert.Equal(TimeSpan.FromSeconds(1), scaled.ApiCallTimeout);
        Assert.Equal(KubernetesCanarySettings.Default.HeldProbeTimeout / 5, scaled.HeldProbeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(40), KubernetesCanarySettings.Default.Hold);
    }

    [Fact]
    public void Apply_DurationsAddedLater_AreScaledByTheirNameOrType()
    {
        var future = TimeScaling.Apply(new FutureOptions(), 4);

        Assert.Equal((TimeSpan.FromMinutes(2) / 4, 7.5, 250, 8, 3), (future.Grace, future.ProbeGapSeconds, future.JitterMs, future.RequestsPerSecond, future.Attempts));
    }

    /// <summary>Settings someone adds next year, with no knowledge of time scales.</summary>
    private sealed class FutureOptions
    {
        public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(2);

        public double ProbeGapSeconds { get; set; } = 30;

        public int JitterMs { get; set; } = 1000;

        public double RequestsPerSecond { get; set; } = 2;

        public int Attempts { get; set; } = 3;
    }
}
