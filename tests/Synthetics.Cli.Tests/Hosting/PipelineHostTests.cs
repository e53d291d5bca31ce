using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Synthetics.Cli.Hosting;
using Synthetics.Lab.Certificates;
using Synthetics.Targets;

namespace Synthetics.Cli.Tests.Hosting;

public sealed class PipelineHostTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("synthetics-cli-host-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Create_ValidatedThenStartedAndCatalogUsed_ReadsTheKubeconfigOnce()
    {
        using var ca = CertificateAuthority.Create("cli host test CA", DateTimeOffset.UtcNow);
        var caData = Convert.ToBase64String(Encoding.UTF8.GetBytes(ca.CertificatePem));
        File.WriteAllText(Path.Combine(_dir, "lke.kubeconfig"), $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: lke1
              cluster:
                server: https://127.0.0.1:6443
                certificate-authority-data: {caData}
            users:
            - name: u
              user:
                token: tok
            contexts:
            - name: c
              context:
                cluster: lke1
                user: u
            current-context: c
            """);
        var config = Path.Combine(_dir, "synthetics.json");
        File.WriteAllText(config, """
            { "Synthetics": { "VantagePoint": "cli-test", "Targets": [
              { "Name": "ca-prod-api", "Kind": "KubernetesApi", "Region": "ca-central", "Kubeconfig": "lke.kubeconfig" } ] } }
            """);
        var reads = new CountingReader();

        using var host = PipelineHost.Create(config, vantage: null, configureServices: services =>
            services.Replace(ServiceDescriptor.Singleton<ITargetSourceReader>(reads)));
        // What StartAsync validates (ValidateOnStart), then the catalog's users.
        host.Services.GetRequiredService<IStartupValidator>().Validate();
        var catalog = host.Services.GetRequiredService<TargetCatalog>();

        Assert.Equal("ca-prod-api", Assert.Single(catalog.Targets).Name);
        Assert.Equal(1, reads.Kubeconfigs);
    }

    /// <summary>The real reads, counted.</summary>
    private sealed class CountingReader : ITargetSourceReader
    {
        private readonly TargetSourceReader _reader = new();
        private int _kubeconfigs;

        public int Kubeconfigs => Volatile.Read(ref _kubeconfigs);

        public KubeconfigLoader.Loaded? TryReadKubeconfig(string path, string? context, string? allowedDirectory, out string? error)
        {
            Interlocked.Increment(ref _kubeconfigs);
            return _reader.TryReadKubeconfig(path, context, allowedDirectory, out error);
        }

        public KubeconfigLoader.Loaded? TryParseKubeconfig(string content, string? context, out string? error)
        {
            Interlocked.Increment(ref _kubeconfigs);
            return _reader.TryParseKubeconfig(content, context, out error);
        }

        public X509Certificate2Collection? TryReadCaFile(string path, out string? error) => _reader.TryReadCaFile(path, out error);
    }
}
