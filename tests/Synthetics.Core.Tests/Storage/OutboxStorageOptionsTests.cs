using Synthetics.Configuration;
using Synthetics.Core.Tests.Targets;
using Synthetics.Storage;

namespace Synthetics.Core.Tests.Storage;

public sealed class OutboxStorageOptionsTests
{
    [Fact]
    public void Build_PlainHttpOutboxEndpointOffLoopback_IsRejected()
    {
        var error = Assert.Throws<ConfigurationException>(() => CatalogHost.Build(o => o.Storage.OutboxEndpoint = "http://sthost.table.core.windows.net"));

        Assert.Contains("Synthetics:Storage:OutboxEndpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_BadOutboxConnectionStringAndTable_NamesTheFieldsWithoutQuotingTheSecret()
    {
        var error = Assert.Throws<ConfigurationException>(() => CatalogHost.Build(o =>
        {
            o.Storage.OutboxConnectionString = "AccountKey=s3cret-key;nonsense";
            o.Storage.OutboxTable = "x";
        }));

        Assert.Contains(error.Errors, e => e.StartsWith("Synthetics:Storage:OutboxConnectionString", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("Synthetics:Storage:OutboxTable", StringComparison.Ordinal));
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateOutboxServiceClient_NeitherSetting_IsNoHostStorage()
    {
        Assert.Null(ResultStorageServiceCollectionExtensions.CreateOutboxServiceClient(new StorageOptions()));
        Assert.NotNull(ResultStorageServiceCollectionExtensions.CreateOutboxServiceClient(new StorageOptions { OutboxEndpoint = "https://sthost.table.core.windows.net" }));
    }
}
