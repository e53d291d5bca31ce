using Synthetics.Probes.Kubernetes;

namespace Synthetics.Core.Tests.Probes.Kubernetes;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Next_NoJitter_ClientGoReflectorSequence()
    {
        var backoff = new ReconnectBackoff(() => 0);

        var pauses = Enumerable.Range(0, 8).Select(_ => backoff.Next().TotalMilliseconds).ToArray();

        Assert.Equal([800, 1600, 3200, 6400, 12800, 25600, 30000, 30000], pauses);
    }

    [Fact]
    public void Next_FullJitter_UpToTwiceTheBase()
    {
        var backoff = new ReconnectBackoff(() => 0.999);

        var pauses = Enumerable.Range(0, 8).Select(_ => backoff.Next()).ToArray();

        Assert.InRange(pauses[0].TotalMilliseconds, 1598, 1600);
        Assert.InRange(pauses[^1].TotalSeconds, 59.9, 60);
    }

    [Theory]
    [InlineData(0.5, 1)]
    [InlineData(1, 2)]
    [InlineData(3, 3)]
    [InlineData(21, 5)]
    [InlineData(41, 6)]
    [InlineData(120, 9)]
    public void MaxConnections_Window_CountsTheShortestPauses(double windowSeconds, int expected)
    {
        Assert.Equal(expected, ReconnectBackoff.MaxConnections(TimeSpan.FromSeconds(windowSeconds)));
    }
}
