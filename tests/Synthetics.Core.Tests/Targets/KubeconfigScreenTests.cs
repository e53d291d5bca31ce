using System.Security.Cryptography.X509Certificates;
using System.Text;
using Synthetics.Configuration;
using Synthetics.Core.Tests.Support;
using Synthetics.Targets;

namespace Synthetics.Core.Tests.Targets;

/// <summary>
/// Kubeconfigs are untrusted: what LKE and the canary how-to produce loads, anything that would run a command or read a
/// file outside the config's directory is refused before KubernetesClient sees it, with one line naming target and field.
/// </summary>
public sealed class KubeconfigScreenTests(PkiFixture fixture) : IClassFixture<PkiFixture>, IDisposable
{
    private const string Secret = "lke-token-77e1-never-print-me";
    private const string Server = "https://1a2b.ca-central-1.linodelke.net:443";
    private readonly TempDirectory _dir = new();
    private readonly TempDirectory _outside = new();
    private readonly TestPki _pki = fixture.Pki;

    public void Dispose()
    {
        _dir.Dispose();
        _outside.Dispose();
    }

    private IReadOnlyList<Target> Build(string target)
    {
        var path = _dir.Write("synthetics.json", $$"""{ "Synthetics": { "VantagePoint": "local", "Targets": [ {{target}} ] } }""");
        return CatalogHost.Build(path);
    }

    private IReadOnlyList<Target> BuildFile(string kubeconfigName) => Build(FileTarget(kubeconfigName));

    private IReadOnlyList<Target> BuildContent(string yaml) => Build(ContentTarget(yaml));

    /// <summary>The refusal of a kubeconfig file: the target is not probed, and this says why.</summary>
    private UnresolvedTarget RefusedFile(string kubeconfigName) => Refused(FileTarget(kubeconfigName));

    private UnresolvedTarget RefusedContent(string yaml) => Refused(ContentTarget(yaml));

    private UnresolvedTarget Refused(string target) =>
        CatalogHost.Unresolved(_dir.Write("synthetics.json", $$"""{ "Synthetics": { "VantagePoint": "local", "Targets": [ {{target}} ] } }"""));

    private static string FileTarget(string kubeconfigName) =>
        $$"""{ "Name": "k", "Kind": "KubernetesApi", "Region": "r", "Kubeconfig": "{{kubeconfigName}}" }""";

    private static string ContentTarget(string yaml) =>
        $$"""{ "Name": "k", "Kind": "KubernetesApi", "Region": "r", "KubeconfigContent": {{System.Text.Json.JsonSerializer.Serialize(yaml)}} }""";

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>A kubeconfig with one context; <paramref name="cluster"/> and <paramref name="user"/> are the indented fields.</summary>
    private static string Kubeconfig(string cluster, string user) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: lke1
          cluster:
            server: {Server}
        {cluster}
        users:
        - name: lke1-admin
          user:
        {user}
        contexts:
        - name: lke1-ctx
          context:
            cluster: lke1
            user: lke1-admin
        current-context: lke1-ctx
        """;

    private string EmbeddedCa => $"    certificate-authority-data: {Base64(_pki.Ca.CertificatePem)}";

    private static void AssertOneLineNaming(UnresolvedTarget refused, string field, params string[] notQuoted)
    {
        var message = refused.Reason;
        Assert.Equal("k", refused.Name);
        Assert.DoesNotContain('\n', message);
        Assert.Contains(field, message, StringComparison.Ordinal);
        foreach (var text in notQuoted.Append(Secret))
        {
            Assert.DoesNotContain(text, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Build_ExecCredentialPlugin_RefusedAndNothingRuns()
    {
        var marker = Path.Combine(_outside.Path, "exec-ran");
        _dir.Write("exec.kubeconfig", Kubeconfig(EmbeddedCa, $"""
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: /usr/bin/touch
                  args: ["{marker}"]
            """));

        var error = RefusedFile("exec.kubeconfig");

        AssertOneLineNaming(error, "users[0].user.exec", "/usr/bin/touch", marker);
        Assert.False(File.Exists(marker), "the exec plugin ran");
    }

    [Fact]
    public void Build_ExecCredentialPluginAsContent_RefusedAndNothingRuns()
    {
        var marker = Path.Combine(_outside.Path, "exec-ran");
        var yaml = Kubeconfig(EmbeddedCa, $"""
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: /usr/bin/touch
                  args: ["{marker}"]
            """);

        var error = RefusedContent(yaml);

        AssertOneLineNaming(error, "KubeconfigContent: users[0].user.exec");
        Assert.False(File.Exists(marker), "the exec plugin ran");
    }

    [Fact]
    public void Build_AuthProvider_RefusedNamingTheField()
    {
        _dir.Write("oidc.kubeconfig", Kubeconfig(EmbeddedCa, $"""
                auth-provider:
                  name: oidc
                  config:
                    id-token: {Secret}
            """));

        var error = RefusedFile("oidc.kubeconfig");

        AssertOneLineNaming(error, "users[0].user.auth-provider");
    }

    [Fact]
    public void Build_TokenFile_RefusedWithoutReadingIt()
    {
        var tokenFile = _outside.Write("token", Secret);
        _dir.Write("tokenfile.kubeconfig", Kubeconfig(EmbeddedCa, $"    tokenFile: {tokenFile}"));

        var error = RefusedFile("tokenfile.kubeconfig");

        AssertOneLineNaming(error, "users[0].user has no usable credentials", tokenFile);
    }

    [Fact]
    public void Build_CertificateAuthorityOutsideTheConfigDirectory_RefusedNamingTheField()
    {
        var ca = _outside.Write("ca.pem", _pki.Ca.CertificatePem);
        _dir.Write("outside.kubeconfig", Kubeconfig($"    certificate-authority: {ca}", $"    token: {Secret}"));

        var error = RefusedFile("outside.kubeconfig");

        AssertOneLineNaming(error, "clusters[0].cluster.certificate-authority points outside the config file's directory", ca);
    }

    [Fact]
    public void Build_CertificateAuthorityEscapingWithDotDot_Refused()
    {
        _outside.Write("ca.pem", _pki.Ca.CertificatePem);
        var escape = Path.Combine("..", Path.GetFileName(_outside.Path), "ca.pem");
        _dir.Write("dotdot.kubeconfig", Kubeconfig($"    certificate-authority: {escape}", $"    token: {Secret}"));

        var error = RefusedFile("dotdot.kubeconfig");

        AssertOneLineNaming(error, "clusters[0].cluster.certificate-authority points outside");
    }

    [Fact]
    public void Build_CertificateAuthorityLinkLeadingOutside_Refused()
    {
        var ca = _outside.Write("ca.pem", _pki.Ca.CertificatePem);
        File.CreateSymbolicLink(Path.Combine(_dir.Path, "ca.pem"), ca);
        _dir.Write("link.kubeconfig", Kubeconfig("    certificate-authority: ca.pem", $"    token: {Secret}"));

        var error = RefusedFile("link.kubeconfig");

        AssertOneLineNaming(error, "clusters[0].cluster.certificate-authority points outside");
    }

    [Fact]
    public void Build_FilesInsideTheConfigDirectory_LoadLikeEmbeddedData()
    {
        using var client = _pki.Ca.IssueClientCertificate("canary", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        _dir.Write("ca.pem", _pki.Ca.CertificatePem);
        _dir.Write("client.crt", client.ExportCertificatePem());
        _dir.Write("client.key", client.GetECDsaPrivateKey()!.ExportECPrivateKeyPem());
        _dir.Write("files.kubeconfig", Kubeconfig("    certificate-authority: ca.pem", """
                client-certificate: client.crt
                client-key: client.key
            """));

        var target = BuildFile("files.kubeconfig").Single();

        Assert.NotNull(target.Kubernetes!.ClientCertificate);
        Assert.True(target.Kubernetes.ClientCertificate.HasPrivateKey);
        Assert.Equal(_pki.Ca.Certificate.Thumbprint, Assert.Single(target.TrustedCertificates!).Thumbprint);
    }

    [Fact]
    public void Build_EmbeddedClientCertificateAsContent_Loads()
    {
        using var client = _pki.Ca.IssueClientCertificate("canary", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var key = client.GetECDsaPrivateKey()!.ExportECPrivateKeyPem();
        var yaml = Kubeconfig(EmbeddedCa, $"""
                client-certificate-data: {Base64(client.ExportCertificatePem())}
                client-key-data: {Base64(key)}
            """);

        var target = BuildContent(yaml).Single();

        Assert.Equal(client.Thumbprint, target.Kubernetes!.ClientCertificate!.Thumbprint);
        Assert.Null(target.Kubernetes.BearerToken);
    }

    [Fact]
    public void Build_FileReferenceInContent_RefusedEvenInsideTheDirectory()
    {
        _dir.Write("ca.pem", _pki.Ca.CertificatePem);
        var yaml = Kubeconfig($"    certificate-authority: {Path.Combine(_dir.Path, "ca.pem")}", $"    token: {Secret}");

        var error = RefusedContent(yaml);

        AssertOneLineNaming(error, "KubeconfigContent: clusters[0].cluster.certificate-authority is a file reference");
    }

    [Fact]
    public void Build_InsecureSkipTlsVerify_LoadsWithVerificationAndAWarning()
    {
        _dir.Write("insecure.kubeconfig", Kubeconfig($"{EmbeddedCa}\n    insecure-skip-tls-verify: true", $"    token: {Secret}"));

        var target = BuildFile("insecure.kubeconfig").Single();

        var warning = Assert.Single(target.Kubernetes!.Warnings);
        Assert.Contains("insecure-skip-tls-verify is set and ignored", warning, StringComparison.Ordinal);
        Assert.NotNull(target.TrustedCertificates);
        Assert.Equal(Secret, target.Kubernetes.BearerToken);
    }

    [Fact]
    public void Build_ExecUserInAnotherContext_IgnoredBecauseNeverUsed()
    {
        var marker = Path.Combine(_outside.Path, "exec-ran");
        var yaml = Kubeconfig(EmbeddedCa, $"    token: {Secret}")
            .Replace("current-context:", "- name: other-ctx\n  context:\n    cluster: lke1\n    user: plugin\ncurrent-context:", StringComparison.Ordinal);
        yaml = yaml.Replace("users:\n", $"users:\n- name: plugin\n  user:\n    exec:\n      apiVersion: v1\n      command: /usr/bin/touch\n      args: [\"{marker}\"]\n", StringComparison.Ordinal);
        _dir.Write("two.kubeconfig", yaml);

        var target = BuildFile("two.kubeconfig").Single();

        Assert.Equal(Secret, target.Kubernetes!.BearerToken);
        Assert.False(File.Exists(marker), "the exec plugin ran");
    }
}
