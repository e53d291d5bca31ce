using Synthetics.Configuration;
using Synthetics.Core.Tests.Support;
using Synthetics.Discovery;
using Synthetics.Storage;

namespace Synthetics.Core.Tests.Discovery;

/// <summary>The shared catalog table on Azurite: what a discovery stores, and retirement after N misses in a row.</summary>
public sealed class TableTargetCatalogStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Seen = new(2026, 11, 30, 12, 7, 20, TimeSpan.Zero);

    private TableTargetCatalogStore Store() => Store(AzuriteFixture.UniqueTableName("Catalog"));

    private TableTargetCatalogStore Store(string table)
    {
        var options = new SyntheticsOptions { Storage = { ConnectionString = azurite.ConnectionString, TargetCatalogTable = table } };
        return new TableTargetCatalogStore(
            ResultStorageServiceCollectionExtensions.CreateServiceClient(options.Storage), Microsoft.Extensions.Options.Options.Create(options));
    }

    private static DiscoveredTarget Cluster(long id, string label) => new()
    {
        Key = $"lke-{id}", Name = $"{label}-api", Kind = "KubernetesApi", Region = "ca-central",
        Url = $"https://{id}.ca-central-1.linodelke.net:443", ClusterId = id,
        Labels = new Dictionary<string, string> { ["clusterId"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["tags"] = "prod,ca" },
        LastSeen = Seen,
    };

    private static DiscoveredTarget Port(long id, int port) => new()
    {
        Key = $"nodebalancer-{id}-config-{port}", Name = $"nb{id}-{port}", Kind = "Tcp", Region = "us-east", Host = "192.0.2.40", Port = port, LastSeen = Seen,
    };

    [Fact]
    public async Task ReadAsync_NoDiscoveryYet_IsEmpty()
    {
        Assert.Empty(await Store().ReadAsync(None));
    }

    [Fact]
    public async Task ApplyAsync_Found_ReadsBackEveryField()
    {
        var store = Store();

        var change = await store.ApplyAsync([Cluster(1001, "ca-prod"), Port(2002, 5432)], 3, None);

        Assert.Equal(["ca-prod-api", "nb2002-5432"], change.Added);
        var read = await store.ReadAsync(None);
        Assert.Equal([Cluster(1001, "ca-prod").Key, Port(2002, 5432).Key], read.Select(t => t.Key));
        var cluster = read[0];
        Assert.Equal((1001L, "https://1001.ca-central-1.linodelke.net:443", "prod,ca", 0, Seen), (cluster.ClusterId, cluster.Url, cluster.Labels["tags"], cluster.Missed, cluster.LastSeen));
        Assert.Equal(("192.0.2.40", 5432), (read[1].Host, read[1].Port));
    }

    [Fact]
    public async Task ApplyAsync_MissingThreeTimesInARow_RetiredOnTheThird()
    {
        var store = Store();
        await store.ApplyAsync([Cluster(1001, "ca-prod"), Port(2002, 5432)], 3, None);

        var first = await store.ApplyAsync([Cluster(1001, "ca-prod")], 3, None);
        var second = await store.ApplyAsync([Cluster(1001, "ca-prod")], 3, None);
        var keptAfterTwo = await store.ReadAsync(None);
        var third = await store.ApplyAsync([Cluster(1001, "ca-prod")], 3, None);

        Assert.Equal(["nb2002-5432"], first.Missing);
        Assert.Equal(["nb2002-5432"], second.Missing);
        Assert.Equal(["nb2002-5432"], third.Retired);
        Assert.Equal(2, keptAfterTwo.Single(t => t.Name == "nb2002-5432").Missed);
        Assert.Equal(["ca-prod-api"], (await store.ReadAsync(None)).Select(t => t.Name));
    }

    [Fact]
    public async Task ApplyAsync_FoundAgainAfterAMiss_CountStartsOver()
    {
        var store = Store();
        await store.ApplyAsync([Cluster(1001, "ca-prod"), Port(2002, 5432)], 3, None);
        await store.ApplyAsync([Cluster(1001, "ca-prod")], 3, None);
        await store.ApplyAsync([Cluster(1001, "ca-prod")], 3, None);

        var back = await store.ApplyAsync([Cluster(1001, "ca-prod"), Port(2002, 5432)], 3, None);
        await store.ApplyAsync([Cluster(1001, "ca-prod")], 3, None);

        Assert.Empty(back.Added);
        Assert.Equal(1, (await store.ReadAsync(None)).Single(t => t.Name == "nb2002-5432").Missed);
    }

    [Fact]
    public async Task ApplyAsync_TwoVantagesShareTheTable_BothReadTheSameCatalog()
    {
        var table = AzuriteFixture.UniqueTableName("Catalog");

        await Store(table).ApplyAsync([Cluster(1001, "ca-prod")], 3, None);

        Assert.Equal(["ca-prod-api"], (await Store(table).ReadAsync(None)).Select(t => t.Name));
    }
}
