using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Synthetics.Alerts;
using Synthetics.Core.Tests.Support;
using Synthetics.Detection;
using Synthetics.Discovery;
using Synthetics.Lab.LinodeApi;
using Synthetics.Pipeline;
using Synthetics.Results;
using Synthetics.Targets;

namespace Synthetics.Core.Tests.Discovery;

/// <summary>
/// Discovery as the pipeline runs it (AddSynthetics, the lab's Linode API over HTTP, the catalog table on Azurite), and
/// the catalog each probe cycle reads from it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "disposed through IAsyncLifetime")]
public sealed class DiscoveryCycleTests(AzuriteFixture azurite, PkiFixture pki) : IClassFixture<AzuriteFixture>, IClassFixture<PkiFixture>, IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly LinodeEstate _estate = new();
    private readonly string _catalogTable = AzuriteFixture.UniqueTableName("Catalog");
    private readonly string _incidentsTable = AzuriteFixture.UniqueTableName("Incidents");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 12, 7, 20, TimeSpan.Zero));
    private readonly RecordingLoggerProvider _log = new();
    private readonly RecordingPublisher _telemetry = new();

    public Task InitializeAsync() => _estate.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _estate.DisposeAsync();
        _log.Dispose();
    }

    private ServiceProvider Compose(Dictionary<string, string?>? extra = null, string vantage = "eastus", bool withToken = true, TimeProvider? time = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Synthetics:VantagePoint"] = vantage,
            ["Synthetics:Storage:ConnectionString"] = azurite.ConnectionString,
            ["Synthetics:Storage:TargetCatalogTable"] = _catalogTable,
            ["Synthetics:Storage:IncidentsTable"] = _incidentsTable,
            ["Synthetics:Maintenance:StatusPageUrl"] = "",
            ["Synthetics:Linode:ApiUrl"] = _estate.ApiUrl,
            ["Synthetics:Linode:Token"] = withToken ? LinodeEstate.Token : null,
            ["Synthetics:Linode:RequestTimeoutSeconds"] = "1",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        var services = new ServiceCollection().AddLogging(logging => logging.AddProvider(_log).SetMinimumLevel(LogLevel.Debug));
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddSingleton<ITelemetryPublisher>(_telemetry);
        services.AddSynthetics(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }

    private async Task<IReadOnlyList<DiscoveredTarget>> CatalogAsync()
    {
        using var services = Compose();
        return await services.GetRequiredService<ITargetCatalogStore>().ReadAsync(None);
    }

    [Fact]
    public async Task RunOnceAsync_ApiAnswers_CatalogHoldsTheEstateAndAnEventSaysSo()
    {
        using var services = Compose(time: _time);

        var run = await services.GetRequiredService<DiscoveryCycle>().RunOnceAsync(None);

        Assert.True(run.Succeeded, run.Failure);
        Assert.Equal(5, run.Change!.Added.Count);
        Assert.Equal(["ca-prod-api", "ca-web-443", "ca-web-80", "us-db-5432", "us-dev-api"], (await CatalogAsync()).Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.Contains(_log.Lines, l => l.EventId == 5040 && l.Message.Contains("2 LKE clusters, 2 NodeBalancers, 5 targets", StringComparison.Ordinal));
        Assert.True(Assert.Single(_telemetry.Discoveries).Succeeded);
    }

    public static TheoryData<LinodeApiFault> Faults => new()
    {
        LinodeApiFault.ServerError, LinodeApiFault.Forbidden, LinodeApiFault.SlowAnswer, LinodeApiFault.TruncatedJson, LinodeApiFault.WrongShape,
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task RunOnceAsync_ApiMisbehavesAfterAGoodRun_LastGoodCatalogStaysAndTheFailureIsReported(LinodeApiFault fault)
    {
        using var services = Compose(time: _time);
        var cycle = services.GetRequiredService<DiscoveryCycle>();
        await cycle.RunOnceAsync(None);
        var good = await CatalogAsync();
        _estate.Server.Fault = fault;
        _estate.Server.SlowAnswerDelay = TimeSpan.FromSeconds(30);

        var runs = new List<DiscoveryRun>();
        for (var i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromHours(1));
            runs.Add(await AdvancingTimeAsync(cycle.RunOnceAsync(None)));
        }

        Assert.All(runs, r => Assert.False(r.Succeeded));
        Assert.Equal(good.Select(t => (t.Key, t.Missed)), (await CatalogAsync()).Select(t => (t.Key, t.Missed)));
        Assert.Equal(4, _log.Lines.Count(l => l.EventId == 5041 && l.Level == LogLevel.Warning));
        Assert.Equal(4, _telemetry.Discoveries.Count(d => !d.Succeeded && d.Failure is { Length: > 0 }));
        Assert.All(runs, r => Assert.DoesNotContain('\n', r.Failure!));
    }

    [Fact]
    public async Task RunOnceAsync_WrongToken_Reports401AndTheTokenAppearsNowhere()
    {
        using var good = Compose(time: _time);
        await good.GetRequiredService<DiscoveryCycle>().RunOnceAsync(None);
        const string wrong = "wrong-token-7d1e44a0";
        using var services = Compose(new() { ["Synthetics:Linode:Token"] = wrong }, time: _time);
        _time.Advance(TimeSpan.FromHours(1));

        var run = await services.GetRequiredService<DiscoveryCycle>().RunOnceAsync(None);
        services.GetRequiredService<ITargetCatalogSource>();

        Assert.Contains("refused the token (401)", run.Failure, StringComparison.Ordinal);
        Assert.Equal(5, (await CatalogAsync()).Count);
        var everything = string.Join("\n", _log.Lines.Select(l => l.Message).Concat(_telemetry.Discoveries.Select(d => d.Failure ?? ""))) + await TableTextAsync();
        Assert.DoesNotContain(wrong, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(LinodeEstate.Token, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnceAsync_ClusterDeleted_RetiredOnlyAfterTheThirdDiscoveryWithoutIt()
    {
        using var services = Compose(time: _time);
        var cycle = services.GetRequiredService<DiscoveryCycle>();
        await cycle.RunOnceAsync(None);
        _estate.Model.RemoveCluster(1002);

        var present = new List<bool>();
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromHours(1));
            await cycle.RunOnceAsync(None);
            present.Add((await CatalogAsync()).Any(t => t.Name == "us-dev-api"));
        }

        Assert.Equal([true, true, false], present);
        Assert.Contains(_log.Lines, l => l.EventId == 5047 && l.Message.Contains("us-dev-api", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunOnceAsync_ThreeAppsOnOneTick_OneDiscoversTwoSkip()
    {
        var apps = new[] { "eastus", "westeurope", "southeastasia" }.Select(v => Compose(vantage: v, time: _time)).ToList();

        var runs = await Task.WhenAll(apps.Select(app => Task.Run(() => app.GetRequiredService<DiscoveryCycle>().RunOnceAsync(None))));

        Assert.Single(runs, r => r.Succeeded);
        Assert.Equal(2, runs.Count(r => r.Skipped));
        apps.ForEach(app => app.Dispose());
    }

    [Fact]
    public async Task RunOnceAsync_NoToken_DoesNothing()
    {
        using var services = Compose(withToken: false);
        var requests = _estate.Server.RequestCount;

        var run = await services.GetRequiredService<DiscoveryCycle>().RunOnceAsync(None);
        var catalog = await services.GetRequiredService<ITargetCatalogSource>().GetAsync(None);

        Assert.True(run.Disabled);
        Assert.Equal(requests, _estate.Server.RequestCount);
        Assert.Same(services.GetRequiredService<TargetCatalog>(), catalog);
    }

    [Fact]
    public async Task GetAsync_AfterDiscovery_SettingsWinByNameClustersWithoutKubeconfigGetNetworkProbes()
    {
        using var services = Compose(new()
        {
            ["Synthetics:Targets:0:Name"] = "ca-web-443",
            ["Synthetics:Targets:0:Kind"] = "Tcp",
            ["Synthetics:Targets:0:Region"] = "ca-central",
            ["Synthetics:Targets:0:Host"] = "203.0.113.99",
            ["Synthetics:Targets:0:Port"] = "8443",
        });
        await services.GetRequiredService<DiscoveryCycle>().RunOnceAsync(None);

        var catalog = await services.GetRequiredService<ITargetCatalogSource>().GetAsync(None);

        var byName = catalog.Targets.ToDictionary(t => t.Name);
        Assert.Equal(5, byName.Count);
        Assert.Equal(8443, byName["ca-web-443"].Endpoint.Port);
        Assert.Equal(["disruption-new", "dns", "tcp"], byName["ca-prod-api"].Probes.Order(StringComparer.Ordinal));
        Assert.Equal(["disruption-new", "tcp"], byName["us-dev-api"].Probes.Order(StringComparer.Ordinal));
        Assert.Null(byName["ca-prod-api"].Kubernetes);
        Assert.Equal(["disruption-new", "disruption-reused", "http", "tcp"], byName["ca-web-80"].Probes.Order(StringComparer.Ordinal));
        Assert.Equal("1001", byName["ca-prod-api"].Labels["clusterId"]);
    }

    [Fact]
    public async Task GetAsync_KubeconfigForTheClusterId_EveryKubernetesProbeWithItsCredentials()
    {
        var kubeconfig = Kubeconfigs.WithToken("https://1001.ca-central-1.linodelke.net:443", pki.Pki.Ca.CertificatePem, "canary-token");
        using var services = Compose(new() { ["Synthetics:Discovery:Kubeconfigs:1001"] = kubeconfig });
        await services.GetRequiredService<DiscoveryCycle>().RunOnceAsync(None);

        var catalog = await services.GetRequiredService<ITargetCatalogSource>().GetAsync(None);

        var cluster = catalog.Targets.Single(t => t.Name == "ca-prod-api");
        Assert.NotNull(cluster.Kubernetes);
        Assert.NotNull(cluster.TrustedCertificates);
        Assert.Equal(["disruption-new", "disruption-reused", "dns", "kube-api", "kube-health", "lease-canary", "tcp", "tls", "watch"], cluster.Probes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetAsync_RefusedKubeconfig_TheClusterIsReportedNotProbed()
    {
        const string exec = """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "https://1001.ca-central-1.linodelke.net:443"}}]
            users: [{name: u, user: {exec: {command: /bin/sh, apiVersion: client.authentication.k8s.io/v1}}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            """;
        using var services = Compose(new() { ["Synthetics:Discovery:Kubeconfigs:1001"] = exec });
        await services.GetRequiredService<DiscoveryCycle>().RunOnceAsync(None);

        var catalog = await services.GetRequiredService<ITargetCatalogSource>().GetAsync(None);

        var unresolved = Assert.Single(catalog.Unresolved);
        Assert.Equal("ca-prod-api", unresolved.Name);
        Assert.StartsWith("Synthetics:Discovery:Kubeconfigs:1001", unresolved.Setting, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_ClusterCreatedAfterStart_ProbedAfterTheNextDiscoveryWithoutARestart()
    {
        using var services = Compose(time: _time);
        var source = services.GetRequiredService<ITargetCatalogSource>();
        await services.GetRequiredService<DiscoveryCycle>().RunOnceAsync(None);
        var before = await source.GetAsync(None);
        _estate.Model.UpsertCluster(new LkeCluster { Id = 1004, Label = "ca-new", Region = "ca-central", ApiEndpoints = ["https://192.0.2.50:443"] });

        _time.Advance(TimeSpan.FromHours(1));
        await services.GetRequiredService<DiscoveryCycle>().RunOnceAsync(None);
        var after = await source.GetAsync(None);

        Assert.DoesNotContain(before.Targets, t => t.Name == "ca-new-api");
        Assert.Contains(after.Targets, t => t.Name == "ca-new-api");
    }

    [Fact]
    public async Task GetAsync_SameCatalogRead_SameTargetsKept()
    {
        using var services = Compose(time: _time);
        var source = services.GetRequiredService<ITargetCatalogSource>();
        await services.GetRequiredService<DiscoveryCycle>().RunOnceAsync(None);
        var first = await source.GetAsync(None);

        _time.Advance(TimeSpan.FromHours(1));
        await services.GetRequiredService<DiscoveryCycle>().RunOnceAsync(None);

        Assert.Same(first, await source.GetAsync(None));
    }

    /// <summary>Moves the fake clock on while <paramref name="run"/> waits on it (a request's timeout, a Retry-After).</summary>
    private async Task<T> AdvancingTimeAsync<T>(Task<T> run)
    {
        while (!run.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        return await run;
    }

    [Fact]
    public async Task GetAsync_TableUnreachable_ProbesTheLastCatalogAndWarnsOnce()
    {
        using var services = Compose(time: _time);
        await services.GetRequiredService<DiscoveryCycle>().RunOnceAsync(None);
        var closed = FreePort.Take();
        using var cut = Compose(new()
        {
            ["Synthetics:Storage:ConnectionString"] =
                $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteKey};TableEndpoint=http://127.0.0.1:{closed}/devstoreaccount1;",
        });
        var source = cut.GetRequiredService<ITargetCatalogSource>();

        var first = await source.GetAsync(None);
        var second = await source.GetAsync(None);

        // Nothing read yet in this process: the settings' catalog (empty here), and one warning for the streak.
        Assert.Same(cut.GetRequiredService<TargetCatalog>(), first);
        Assert.Same(first, second);
        Assert.Single(_log.Lines, l => l.EventId == 5044);
    }

    // Azurite's well-known development key (public, documented), for an account that is not there.
    private const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private async Task<string> TableTextAsync()
    {
        var table = new TableClient(azurite.ConnectionString, _catalogTable);
        var rows = new List<string>();
        await foreach (var entity in table.QueryAsync<TableEntity>(cancellationToken: None))
        {
            rows.AddRange(((IDictionary<string, object>)entity).Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
        }

        return string.Join("\n", rows);
    }

    private sealed class RecordingPublisher : ITelemetryPublisher
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<DiscoveryRun> _discoveries = new();

        public IReadOnlyList<DiscoveryRun> Discoveries => [.. _discoveries];

        public bool IsEnabled => true;

        public void PublishResults(IEnumerable<ProbeResult> results)
        {
        }

        public void PublishIncident(IncidentEvent incidentEvent)
        {
        }

        public void PublishDiscovery(DiscoveryRun run) => _discoveries.Enqueue(run);

        public Task<bool> FlushAsync(CancellationToken cancellationToken) => Task.FromResult(true);
    }
}
