using Synthetics.Configuration;
using Synthetics.Core.Tests.Support;
using Synthetics.Core.Tests.Targets;
using Synthetics.Targets;

namespace Synthetics.Core.Tests.Probes.Kubernetes;

public sealed class KubernetesTargetSettingsTests(PkiFixture fixture) : IClassFixture<PkiFixture>, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private IReadOnlyList<Target> Build(string fields, double budget = 50)
    {
        _dir.Write("ca.kubeconfig", Kubeconfigs.WithToken("https://127.0.0.1:6443", fixture.Pki.Ca.CertificatePem, "tok-never-print"));
        var path = _dir.Write("synthetics.json", $$"""
            { "Synthetics": { "VantagePoint": "local", "Probing": { "CycleBudgetSeconds": {{budget}} }, "Targets": [
              { "Name": "ca-api", "Kind": "KubernetesApi", "Region": "ca-central", "Kubeconfig": "ca.kubeconfig" {{fields}} } ] } }
            """);
        return CatalogHost.Build(path);
    }

    [Fact]
    public void Build_NoCanaryFields_ClientGoDefaultsAndKubernetesProbesOn()
    {
        var target = Build("").Single();

        Assert.Equal(KubernetesCanarySettings.Default, target.Canary);
        Assert.Equal((15, 10, 2, 40), (target.Canary!.LeaseDuration.TotalSeconds, target.Canary.RenewDeadline.TotalSeconds,
            target.Canary.RetryPeriod.TotalSeconds, target.Canary.Hold.TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(5), target.Canary.EffectiveRenewMarginWarning);
        // DESIGN §5: a KubernetesApi target gets the network probes plus the Kubernetes ones.
        Assert.Contains("lease-canary", target.Probes);
        Assert.Contains("watch", target.Probes);
        Assert.Contains("kube-api", target.Probes);
    }

    [Fact]
    public void Build_CertManagerTimings_Accepted()
    {
        var target = Build("""
            , "Probes": ["kube-api", "lease-canary", "watch"], "LeaseDurationSeconds": 60, "RenewDeadlineSeconds": 40,
              "RetryPeriodSeconds": 15, "CanaryHoldSeconds": 40, "RenewMarginWarningMs": 20000, "CanaryNamespace": "canary-ns"
            """).Single();

        Assert.Equal(["kube-api", "lease-canary", "watch"], target.Probes.Order());
        Assert.Equal("canary-ns", target.Canary!.Namespace);
        Assert.Equal(TimeSpan.FromSeconds(40), target.Canary.RenewDeadline);
        Assert.Equal(TimeSpan.FromSeconds(20), target.Canary.EffectiveRenewMarginWarning);
    }

    [Theory]
    [InlineData(""", "LeaseDurationSeconds": 10, "RenewDeadlineSeconds": 10""", "'ca-api': LeaseDurationSeconds must be greater than RenewDeadlineSeconds")]
    [InlineData(""", "RenewDeadlineSeconds": 2.4, "RetryPeriodSeconds": 2""", "'ca-api': RenewDeadlineSeconds must be greater than 1.2 × RetryPeriodSeconds")]
    [InlineData(""", "RetryPeriodSeconds": 0""", "'ca-api': RetryPeriodSeconds must be > 0")]
    [InlineData(""", "ApiCallTimeoutSeconds": 12""", "'ca-api': ApiCallTimeoutSeconds must not exceed RenewDeadlineSeconds")]
    [InlineData(""", "RenewMarginWarningMs": 10000""", "'ca-api': RenewMarginWarningMs must be ≥ 0 and less than the renew deadline")]
    [InlineData(""", "CanaryNamespace": "Synthetics_Canary" """, "'ca-api': CanaryNamespace 'Synthetics_Canary' is not a valid namespace name")]
    [InlineData(""", "CanaryHoldSeconds": 45""", "'ca-api': CanaryHoldSeconds + ApiCallTimeoutSeconds + 2 must fit in Probing:CycleBudgetSeconds")]
    public void Build_InvalidCanaryField_NamesTargetAndField(string fields, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => Build(fields));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-never-print", error.Message, StringComparison.Ordinal);
    }
}
