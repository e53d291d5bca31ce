using Synthetics.Storage;

namespace Synthetics.Core.Tests.Storage;

public sealed class ResultKeysTests
{
    [Theory]
    [InlineData("ca-prod-api", "ca-prod-api")]
    [InlineData("a/b", "a~2Fb")]
    [InlineData("a|b", "a~7Cb")]
    [InlineData("é", "~C3~A9")]
    public void Escape_Name_KeepsOnlyKeySafeCharacters(string name, string expected) => Assert.Equal(expected, ResultKeys.Escape(name));

    [Fact]
    public void ByTimePartition_SameMinute_SharesOnePartitionPerVantage()
    {
        var at = new DateTimeOffset(2026, 11, 20, 10, 7, 59, TimeSpan.Zero);

        Assert.Equal("202611201007|eastus", ResultKeys.ByTimePartition(at, "eastus"));
        Assert.Equal("20261120|ca-central", ResultKeys.ByTargetPartition(at, "ca-central"));
        Assert.StartsWith("ca-web|0", ResultKeys.ByTargetRow("ca-web", at, "eastus", "tcp"), StringComparison.Ordinal);
        Assert.Equal(ResultKeys.ByTimeRow("t", "tcp", at), ResultKeys.ByTimeRow("t", "tcp", at.ToOffset(TimeSpan.FromHours(2))));
    }
}
