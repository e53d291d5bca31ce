using Synthetics.Probes;

namespace Synthetics.Core.Tests.Probes;

public sealed class HealthCheckParserTests
{
    [Fact]
    public void FailedChecks_RealApiserverOutput_ReturnsFailingNamesInOrder()
    {
        const string body = "[+]ping ok\n[+]log ok\n[-]etcd failed: reason withheld\n[+]poststarthook/start-apiextensions-informers ok\n" +
                            "[-]poststarthook/rbac/bootstrap-roles failed: not finished\nreadyz check failed\n";

        Assert.Equal(["etcd", "poststarthook/rbac/bootstrap-roles"], HealthCheckParser.FailedChecks(body));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ok")]
    [InlineData("<html>502 Bad Gateway</html>")]
    public void FailedChecks_NoVerboseLines_ReturnsNothing(string? body) => Assert.Empty(HealthCheckParser.FailedChecks(body));
}
