using Synthetics.Configuration;
using Synthetics.Core.Tests.Support;
using Synthetics.Targets;

namespace Synthetics.Core.Tests.Targets;

public sealed class TargetCatalogFactoryTests(PkiFixture fixture) : IClassFixture<PkiFixture>, IDisposable
{
    private const string Secret = "lke-token-8f3a2c-never-print-me";
    private readonly TempDirectory _dir = new();
    private readonly TestPki _pki = fixture.Pki;

    public void Dispose() => _dir.Dispose();

    private IReadOnlyList<Target> Build(string json)
    {
        var path = _dir.Write("synthetics.json", json);
        return CatalogHost.Build(path);
    }

    private ConfigurationException Invalid(string json) => Assert.Throws<ConfigurationException>(() => Build(json));

    private UnresolvedTarget Unresolved(string json) => CatalogHost.Unresolved(_dir.Write("synthetics.json", json));

    private static string Targets(string targets) => $$"""{ "Synthetics": { "VantagePoint": "local", "Targets": [ {{targets}} ] } }""";

    [Fact]
    public void Build_DesignExample_GivesDefaultProbesPerKind()
    {
        _dir.Write("ca-prod.kubeconfig", Kubeconfigs.WithToken("https://1a2b.ca-central-1.linodelke.net:443", _pki.Ca.CertificatePem, Secret));

        var targets = Build(Targets("""
            { "Name": "ca-prod-api", "Kind": "KubernetesApi", "Region": "ca-central", "Kubeconfig": "ca-prod.kubeconfig" },
            { "Name": "ca-web", "Kind": "Http", "Region": "ca-central", "Url": "https://203.0.113.10/healthz", "ExpectStatus": 200 },
            { "Name": "ca-db", "Kind": "Tcp", "Region": "ca-central", "Host": "203.0.113.11", "Port": 5432, "Labels": { "cluster": "prod" } }
            """));

        var api = targets[0];
        Assert.Equal(["disruption-new", "disruption-reused", "dns", "kube-api", "kube-health", "lease-canary", "tcp", "tls", "watch"], api.Probes.Order());
        Assert.Equal(new TargetEndpoint("1a2b.ca-central-1.linodelke.net", 443, true), api.Endpoint);
        Assert.Equal(Secret, api.Kubernetes!.BearerToken);
        Assert.Single(api.TrustedCertificates!);
        Assert.Equal(["disruption-new", "disruption-reused", "http", "tcp", "tls"], targets[1].Probes.Order());
        Assert.Equal(TimeSpan.FromSeconds(10), targets[1].Timeout);
        Assert.Equal(["disruption-new", "tcp"], targets[2].Probes.Order());
        Assert.Equal("prod", targets[2].Labels["cluster"]);
    }

    [Fact]
    public void Build_ProbesNarrowed_KeepsOnlyThose()
    {
        var targets = Build(Targets("""{ "Name": "w", "Kind": "Http", "Region": "r", "Url": "https://example.test/", "Probes": ["tls", "http"] }"""));

        Assert.Equal(["http", "tls"], targets[0].Probes.Order());
    }

    [Theory]
    [InlineData("""{ "Name": "a", "Kind": "Ftp", "Region": "r" }""", "Synthetics:Targets[0] 'a': Kind 'Ftp' is unknown")]
    [InlineData("""{ "Name": "a", "Region": "r" }""", "Synthetics:Targets[0] 'a': Kind is required")]
    [InlineData("""{ "Name": "a", "Kind": "Http", "Region": "r" }""", "Synthetics:Targets[0] 'a': Url is required for kind Http")]
    [InlineData("""{ "Name": "a", "Kind": "Http", "Region": "r", "Url": "ftp://x/" }""", "Synthetics:Targets[0] 'a': Url 'ftp://x/' is not an absolute http or https URL")]
    [InlineData("""{ "Name": "a", "Kind": "Tcp", "Region": "r", "Port": 22 }""", "Synthetics:Targets[0] 'a': Host is required for kind Tcp")]
    [InlineData("""{ "Name": "a", "Kind": "Tcp", "Region": "r", "Host": "h" }""", "Synthetics:Targets[0] 'a': Port is required for kind Tcp")]
    [InlineData("""{ "Name": "a", "Kind": "Tcp", "Region": "r", "Host": "h", "Port": 70000 }""", "Synthetics:Targets[0] 'a': Port must be 1–65535")]
    [InlineData("""{ "Name": "a", "Kind": "KubernetesApi", "Region": "r" }""", "Synthetics:Targets[0] 'a': Kubeconfig (a file) or KubeconfigContent (the kubeconfig itself), one of them, is required")]
    [InlineData("""{ "Name": "a", "Kind": "Tcp", "Region": "r", "Host": "h", "Port": 1, "TimeoutSeconds": 0 }""", "Synthetics:Targets[0] 'a': TimeoutSeconds must be > 0")]
    [InlineData("""{ "Name": "a", "Kind": "Tcp", "Region": "r", "Host": "h", "Port": 1, "TimeoutSeconds": -5 }""", "Synthetics:Targets[0] 'a': TimeoutSeconds must be > 0")]
    [InlineData("""{ "Kind": "Tcp", "Region": "r", "Host": "h", "Port": 1 }""", "Synthetics:Targets[0]: Name is required")]
    [InlineData("""{ "Name": "a", "Kind": "Tcp", "Host": "h", "Port": 1 }""", "Synthetics:Targets[0] 'a': Region is required")]
    [InlineData("""{ "Name": "a", "Kind": "Tcp", "Region": "r", "Host": "h", "Port": 1, "Probes": ["tls"] }""", "Synthetics:Targets[0] 'a': Probes contains 'tls', which does not apply")]
    [InlineData("""{ "Name": "a", "Kind": "Tcp", "Region": "r", "Host": "h", "Port": 1, "Probes": ["icmp"] }""", "Synthetics:Targets[0] 'a': Probes contains unknown probe 'icmp'")]
    public void Build_InvalidTarget_FailsNamingTargetAndField(string target, string expected)
    {
        var error = Invalid(Targets(target));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_DuplicateNames_FailsNamingTheSecond()
    {
        var error = Invalid(Targets("""
            { "Name": "db", "Kind": "Tcp", "Region": "r", "Host": "h", "Port": 1 },
            { "Name": "DB", "Kind": "Tcp", "Region": "r", "Host": "h", "Port": 2 }
            """));

        Assert.Contains("Synthetics:Targets[1] 'DB': Name 'DB' is used by another target", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SeveralProblems_ReportsThemAll()
    {
        var error = Invalid(Targets("""
            { "Name": "a", "Kind": "Http", "Region": "r" },
            { "Name": "b", "Kind": "Tcp", "Region": "r", "Host": "h" }
            """));

        Assert.Equal(2, error.Errors.Count);
    }

    [Fact]
    public void Build_MissingKubeconfigFile_NotProbedNamingThePath()
    {
        var unresolved = Unresolved(Targets("""{ "Name": "k", "Kind": "KubernetesApi", "Region": "r", "Kubeconfig": "nowhere.kubeconfig" }"""));

        Assert.Equal(("k", "Kubeconfig"), (unresolved.Name, unresolved.Field));
        Assert.StartsWith("Kubeconfig file", unresolved.Reason, StringComparison.Ordinal);
        Assert.Contains("nowhere.kubeconfig' does not exist", unresolved.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MalformedKubeconfigYaml_NotProbedWithoutQuotingIt()
    {
        _dir.Write("bad.kubeconfig", $"apiVersion: v1\nusers:\n- name: x\n  user:\n    token: {Secret}\n   broken: [unclosed\n");

        var unresolved = Unresolved(Targets("""{ "Name": "k", "Kind": "KubernetesApi", "Region": "r", "Kubeconfig": "bad.kubeconfig" }"""));

        Assert.StartsWith("Kubeconfig", unresolved.Reason, StringComparison.Ordinal);
        Assert.Contains("not valid kubeconfig YAML", unresolved.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, unresolved.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_KubeconfigWithoutServer_NotProbedWithoutQuotingIt()
    {
        var yaml = Kubeconfigs.WithToken("https://x:443", _pki.Ca.CertificatePem, Secret).Replace("    server: https://x:443\n", "", StringComparison.Ordinal);
        _dir.Write("noserver.kubeconfig", yaml);

        var unresolved = Unresolved(Targets("""{ "Name": "k", "Kind": "KubernetesApi", "Region": "r", "Kubeconfig": "noserver.kubeconfig" }"""));

        Assert.StartsWith("Kubeconfig", unresolved.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, unresolved.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MissingCaFile_NotProbedRatherThanTrustingTheSystemStore()
    {
        var unresolved = Unresolved(Targets("""{ "Name": "w", "Kind": "Http", "Region": "r", "Url": "https://x/", "CaFile": "missing.pem" }"""));

        Assert.Equal(("w", TargetKind.Http, "CaFile"), (unresolved.Name, unresolved.Kind, unresolved.Field));
        Assert.StartsWith("CaFile", unresolved.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_KeyVaultReferenceThePlatformDidNotResolve_NotProbedSayingSo()
    {
        var unresolved = Unresolved(Targets("""
            { "Name": "k", "Kind": "KubernetesApi", "Region": "r", "KubeconfigContent": "@Microsoft.KeyVault(SecretUri=https://kv-lke.vault.azure.net/secrets/ca-prod-kubeconfig/)" }
            """));

        Assert.Equal("KubeconfigContent", unresolved.Field);
        Assert.StartsWith("KubeconfigContent is a Key Vault reference the platform did not resolve", unresolved.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("kv-lke", unresolved.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Build_KubeconfigContentFromKeyVaultReference_LoadsLikeAFile(bool base64)
    {
        var yaml = Kubeconfigs.WithToken("https://1a2b.ca-central-1.linodelke.net:443", _pki.Ca.CertificatePem, Secret);
        var content = base64 ? Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(yaml)) : yaml;
        var json = System.Text.Json.JsonSerializer.Serialize(content);

        var target = Build(Targets($$"""{ "Name": "k", "Kind": "KubernetesApi", "Region": "r", "KubeconfigContent": {{json}} }""")).Single();

        Assert.Equal(Secret, target.Kubernetes!.BearerToken);
        Assert.Equal("1a2b.ca-central-1.linodelke.net", target.Endpoint.Host);
    }

    [Fact]
    public void Build_BrokenKubeconfigContent_NotProbedNamingTheFieldWithoutQuotingIt()
    {
        var unresolved = Unresolved(Targets($$"""{ "Name": "k", "Kind": "KubernetesApi", "Region": "r", "KubeconfigContent": "users:\n- token: {{Secret}}\n  x: [" }"""));

        Assert.Equal("KubeconfigContent", unresolved.Field);
        Assert.StartsWith("KubeconfigContent", unresolved.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, unresolved.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_UnknownSetting_FailsNamingIt()
    {
        var error = Invalid(Targets("""{ "Name": "w", "Kind": "Http", "Region": "r", "Ur1": "https://x/" }"""));

        Assert.Contains("Ur1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WrongValueType_FailsNamingThePath()
    {
        var error = Invalid(Targets("""{ "Name": "t", "Kind": "Tcp", "Region": "r", "Host": "h", "Port": "ssh" }"""));

        Assert.Contains("Synthetics:Targets:0:Port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_BadSchedule_FailsNamingTheSetting()
    {
        var error = Invalid("""{ "Synthetics": { "ProbeSchedule": "* * * * *", "Targets": [] } }""");

        Assert.Contains("Synthetics:ProbeSchedule", error.Message, StringComparison.Ordinal);
        Assert.Contains("six are needed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_NotJson_FailsNamingTheFileAndLine()
    {
        var path = _dir.Write("broken.json", "{ \"Synthetics\": {\n  \"Targets\": [ oops ] } }");

        var error = Assert.Throws<ConfigurationException>(() => SyntheticsConfiguration.LoadFile(path));

        Assert.Contains("is not valid JSON (line 2", error.Message, StringComparison.Ordinal);
    }
}
