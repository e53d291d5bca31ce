using System.Text.Json;
using Synthetics.Lab.Faults;

namespace Synthetics.Lab.Tests.Faults;

public sealed class FaultPlanTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void Serialize_IncidentPlan_CamelCaseAndRoundTrips()
    {
        var plan = new FaultPlan
        {
            StallShare = 0.08,
            StallDuration = TimeSpan.FromSeconds(12),
            ResetShare = 0.03,
            CutAfterMin = TimeSpan.FromSeconds(30),
            CutAfterMax = TimeSpan.FromSeconds(90),
            ThrottleAction = ThrottleAction.Delay,
        };

        var json = JsonSerializer.Serialize(plan, Web);

        Assert.Contains("\"stallShare\":0.08", json, StringComparison.Ordinal);
        Assert.Contains("\"cutAfterMax\":\"00:01:30\"", json, StringComparison.Ordinal);
        Assert.Contains("\"throttleAction\":\"delay\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("isNone", json, StringComparison.Ordinal);
        Assert.Equal(plan, JsonSerializer.Deserialize<FaultPlan>(json, Web));
    }

    [Fact]
    public void Deserialize_EmptyObject_IsNone()
    {
        var plan = JsonSerializer.Deserialize<FaultPlan>("{}", Web);

        Assert.NotNull(plan);
        Assert.True(plan.IsNone);
        Assert.Null(plan.Validate());
    }

    [Theory]
    [InlineData("stallShare", 1.5, 0.0)]
    [InlineData("resetShare", -0.1, 0.0)]
    [InlineData("resetShare", 0.6, 0.5)]
    public void Validate_BadShares_NamesField(string field, double reset, double stall)
    {
        var plan = field == "stallShare" ? new FaultPlan { StallShare = reset } : new FaultPlan { ResetShare = reset, StallShare = stall };

        Assert.Equal(field, plan.Validate()?.Field);
    }

    [Fact]
    public void Validate_CutRangeInverted_NamesCutAfterMax()
    {
        var plan = new FaultPlan { CutAfterMin = TimeSpan.FromSeconds(90), CutAfterMax = TimeSpan.FromSeconds(30) };

        Assert.Equal("cutAfterMax", plan.Validate()?.Field);
    }

    [Fact]
    public void Validate_CutMinWithoutMax_NamesCutAfterMax()
    {
        Assert.Equal("cutAfterMax", new FaultPlan { CutAfterMin = TimeSpan.FromSeconds(1) }.Validate()?.Field);
    }

    [Fact]
    public void Validate_ZeroRate_NamesThrottleField()
    {
        Assert.Equal("newConnectionsPerSecondPerClient", new FaultPlan { NewConnectionsPerSecondPerClient = 0 }.Validate()?.Field);
    }
}
