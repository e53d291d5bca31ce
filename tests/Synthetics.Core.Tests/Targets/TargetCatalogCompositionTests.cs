using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;
using Synthetics.Core.Tests.Support;
using Synthetics.Probes;
using Synthetics.Targets;

namespace Synthetics.Core.Tests.Targets;

/// <summary>The catalog as <c>AddSynthetics</c> composes it: built once per host, from the probes the container holds.</summary>
public sealed class TargetCatalogCompositionTests(PkiFixture fixture) : IClassFixture<PkiFixture>, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AddSynthetics_StartValidatedAndCatalogUsed_ReadsEachKubeconfigAndCaFileOnce()
    {
        var configuration = Config("""
            { "Name": "ca-api", "Kind": "KubernetesApi", "Region": "ca-central", "Kubeconfig": "ca.kubeconfig" },
            { "Name": "ca-api-2", "Kind": "KubernetesApi", "Region": "ca-central", "Kubeconfig": "ca.kubeconfig", "CanaryNamespace": "other" },
            { "Name": "ca-web", "Kind": "Http", "Region": "ca-central", "Url": "https://127.0.0.1/", "CaFile": "ca.pem" }
            """);
        var reads = new CountingReader();
        var services = new ServiceCollection().AddSingleton<ITargetSourceReader>(reads).AddSynthetics(configuration, _dir.Path);
        using var provider = services.BuildServiceProvider();

        // What a host does: ValidateOnStart (through IOptionsMonitor), the services' IOptions, the catalog's users.
        provider.GetRequiredService<IStartupValidator>().Validate();
        _ = provider.GetRequiredService<IOptions<SyntheticsOptions>>().Value;
        _ = provider.GetRequiredService<IOptionsMonitor<SyntheticsOptions>>().CurrentValue;
        var catalog = provider.GetRequiredService<TargetCatalog>();

        Assert.Same(catalog, provider.GetRequiredService<TargetCatalog>());
        Assert.Equal(["ca-api", "ca-api-2", "ca-web"], catalog.Targets.Select(t => t.Name));
        Assert.Equal((1, 1), (reads.Kubeconfigs, reads.CaFiles));
    }

    [Fact]
    public void AddSynthetics_MissingKubeconfig_StartsWithTheTargetUnresolvedAndTheOthersInTheCatalog()
    {
        var configuration = Config("""
            { "Name": "ca-api", "Kind": "KubernetesApi", "Region": "ca-central", "Kubeconfig": "missing.kubeconfig", "Labels": { "team": "platform" } },
            { "Name": "ca-db", "Kind": "Tcp", "Region": "ca-central", "Host": "127.0.0.1", "Port": 5432 }
            """);
        var reads = new CountingReader();
        using var provider = new ServiceCollection().AddSingleton<ITargetSourceReader>(reads).AddSynthetics(configuration, _dir.Path).BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var catalog = provider.GetRequiredService<TargetCatalog>();

        Assert.Equal("ca-db", Assert.Single(catalog.Targets).Name);
        var unresolved = Assert.Single(catalog.Unresolved);
        Assert.Equal(("ca-api", TargetKind.KubernetesApi, "ca-central", "Kubeconfig"), (unresolved.Name, unresolved.Kind, unresolved.Region, unresolved.Field));
        Assert.StartsWith("Kubeconfig file", unresolved.Reason, StringComparison.Ordinal);
        Assert.Equal("platform", unresolved.Labels["team"]);
        Assert.Equal(1, reads.Kubeconfigs);
    }

    [Fact]
    public void AddSynthetics_UnresolvedTargetNamingAnUnknownProbe_StillFailsStart()
    {
        var configuration = Config("""{ "Name": "ca-api", "Kind": "KubernetesApi", "Region": "ca-central", "Kubeconfig": "missing.kubeconfig", "Probes": ["icmp"] }""");
        using var provider = new ServiceCollection().AddSynthetics(configuration, _dir.Path).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.StartsWith("Synthetics:Targets[0] 'ca-api': Probes contains unknown probe 'icmp'", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void AddSynthetics_ProbeRegisteredBesideTheBuiltIns_AppliesAndCanBeChosen()
    {
        var configuration = Config("""
            { "Name": "db", "Kind": "Tcp", "Region": "r", "Host": "h", "Port": 5432 },
            { "Name": "db-ping", "Kind": "Tcp", "Region": "r", "Host": "h", "Port": 5432, "Probes": ["ping"] },
            { "Name": "web", "Kind": "Http", "Region": "r", "Url": "http://h/" }
            """);

        var targets = CatalogHost.Build(configuration, _dir.Path, configureServices: services =>
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IProbe, PingProbe>()));

        Assert.Equal(["disruption-new", "dns", "ping", "tcp"], targets[0].Probes.Order());
        Assert.Equal(["ping"], targets[1].Probes);
        Assert.DoesNotContain("ping", targets[2].Probes);
    }

    [Fact]
    public void AddSynthetics_ProbeNotRegistered_IsUnknownListingTheRegisteredOnes()
    {
        var configuration = Config("""{ "Name": "db", "Kind": "Tcp", "Region": "r", "Host": "h", "Port": 5432, "Probes": ["ping"] }""");

        var error = Assert.Throws<ConfigurationException>(() => CatalogHost.Build(configuration, _dir.Path));

        var known = new ServiceCollection().AddProbes().BuildServiceProvider().GetServices<IProbe>().Select(p => p.Name);
        Assert.Equal($"Synthetics:Targets[0] 'db': Probes contains unknown probe 'ping' (known: {string.Join(", ", known)})", Assert.Single(error.Errors));
    }

    [Fact]
    public void BuiltInProbes_AreWhatAddProbesRegisters()
    {
        var registered = new ServiceCollection().AddProbes().BuildServiceProvider().GetServices<IProbe>().Select(p => p.Name);

        Assert.Equal(registered, SyntheticsServiceCollectionExtensions.BuiltInProbes().Select(p => p.Name));
    }

    private IConfiguration Config(string targets)
    {
        _dir.Write("ca.kubeconfig", Kubeconfigs.WithToken("https://127.0.0.1:6443", fixture.Pki.Ca.CertificatePem, "tok"));
        _dir.Write("ca.pem", fixture.Pki.Ca.CertificatePem);
        var path = _dir.Write("synthetics.json", $$"""{ "Synthetics": { "VantagePoint": "local", "Targets": [ {{targets}} ] } }""");
        return SyntheticsConfiguration.LoadFile(path);
    }

    /// <summary>The real reads, counted.</summary>
    private sealed class CountingReader : ITargetSourceReader
    {
        private readonly TargetSourceReader _reader = new();
        private int _kubeconfigs;
        private int _caFiles;

        public int Kubeconfigs => Volatile.Read(ref _kubeconfigs);

        public int CaFiles => Volatile.Read(ref _caFiles);

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

        public X509Certificate2Collection? TryReadCaFile(string path, out string? error)
        {
            Interlocked.Increment(ref _caFiles);
            return _reader.TryReadCaFile(path, out error);
        }
    }

    /// <summary>A probe of the test's own, for plain TCP targets only: nothing in the product knows its name.</summary>
    private sealed class PingProbe : IProbe
    {
        public string Name => "ping";

        public bool AppliesTo(TargetKind kind, TargetEndpoint endpoint) => kind == TargetKind.Tcp;

        public ValueTask<ProbeObservation> RunAsync(ProbeContext context, CancellationToken cancellationToken) =>
            throw new NotSupportedException("never run: the catalog only asks what it applies to");
    }
}
