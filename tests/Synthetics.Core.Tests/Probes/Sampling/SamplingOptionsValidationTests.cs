using Microsoft.Extensions.Configuration;
using Synthetics.Configuration;
using Synthetics.Core.Tests.Targets;

namespace Synthetics.Core.Tests.Probes.Sampling;

/// <summary>The sampler's settings fail the start as one line naming the setting.</summary>
public sealed class SamplingOptionsValidationTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Synthetics:Targets:0:Name"] = "a",
            ["Synthetics:Targets:0:Kind"] = "Tcp",
            ["Synthetics:Targets:0:Region"] = "r",
            ["Synthetics:Targets:0:Host"] = "h",
            ["Synthetics:Targets:0:Port"] = "1",
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    [Theory]
    [InlineData("Synthetics:Probing:Sampling:IntervalSeconds", "0", "Synthetics:Probing:Sampling:IntervalSeconds must be > 0 and ≤ 60 (was 0)")]
    [InlineData("Synthetics:Probing:Sampling:PeriodSeconds", "301", "Synthetics:Probing:Sampling:PeriodSeconds must be > 0 and ≤ 300 (was 301)")]
    [InlineData("Synthetics:Probing:Sampling:Series", "new,old", "Synthetics:Probing:Sampling:Series must list new and/or reused, comma-separated (was 'new,old')")]
    [InlineData("Synthetics:Probing:Sampling:Series", " ", "Synthetics:Probing:Sampling:Series must list new and/or reused, comma-separated (was ' ')")]
    [InlineData("Synthetics:Probing:Sampling:IntervalSeconds", "40", "Synthetics:Probing:Sampling:IntervalSeconds must be ≤ PeriodSeconds (36) (was 40)")]
    [InlineData("Synthetics:Probing:Sampling:PeriodSeconds", "45", "Synthetics:Probing:Sampling:PeriodSeconds plus Synthetics:Probing:TimeoutSeconds (10) must fit in CycleBudgetSeconds (50) (was 45)")]
    public void Validate_BadSetting_FailsWithOneLineNamingIt(string key, string value, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => CatalogHost.Build(Settings((key, value)), baseDirectory: null));

        Assert.Equal(expected, Assert.Single(error.Errors));
    }

    [Fact]
    public void Validate_Defaults_FitTheCycleBudget()
    {
        Assert.Single(CatalogHost.Build(Settings(), baseDirectory: null));
        var options = new SyntheticsOptions();

        Assert.True(options.Probing.Sampling.Enabled);
        Assert.Equal(1, options.Probing.Sampling.IntervalSeconds);
        Assert.True(options.Probing.Sampling.PeriodSeconds + options.Probing.TimeoutSeconds <= options.Probing.CycleBudgetSeconds);
        Assert.Equal("new,reused", options.Probing.Sampling.Series);
    }

    [Fact]
    public void Validate_SamplingOff_IgnoresThePeriod()
    {
        Assert.Single(CatalogHost.Build(Settings(("Synthetics:Probing:Sampling:Enabled", "false"), ("Synthetics:Probing:Sampling:PeriodSeconds", "45")), baseDirectory: null));
    }

    [Fact]
    public void TimeScale_ScalesTheSamplerLikeEveryDuration()
    {
        var options = TimeScaling.Apply(new SyntheticsOptions(), 10);

        Assert.Equal(0.1, options.Probing.Sampling.IntervalSeconds, 6);
        Assert.Equal(3.6, options.Probing.Sampling.PeriodSeconds, 6);
    }
}
