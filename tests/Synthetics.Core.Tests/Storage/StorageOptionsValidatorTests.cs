using Microsoft.Extensions.Configuration;
using Synthetics.Configuration;
using Synthetics.Storage;
using Synthetics.Core.Tests.Targets;

namespace Synthetics.Core.Tests.Storage;

public sealed class StorageOptionsValidatorTests
{
    private static ConfigurationException Invalid(Action<SyntheticsOptions> change)
    {
        return Assert.Throws<ConfigurationException>(() => CatalogHost.Build(change));
    }

    [Fact]
    public void Build_DefaultStorage_IsValid()
    {
        Assert.Empty(CatalogHost.Build(_ => { }));
        Assert.Equal("UseDevelopmentStorage=true", new StorageOptions().ConnectionString);
    }

    [Fact]
    public void Build_BadStorageSettings_NamesEachField()
    {
        var error = Invalid(o =>
        {
            o.RetentionSchedule = "0 * * * *";
            o.Storage.RetentionDays = 0;
            o.Storage.ResultsByTimeTable = "1bad";
            o.Storage.FlushBudgetSeconds = -1;
            o.Storage.ReadPageSize = 5000;
        });

        Assert.Contains(error.Errors, e => e.StartsWith("Synthetics:RetentionSchedule", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("Synthetics:Storage:RetentionDays", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("Synthetics:Storage:ResultsByTimeTable", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("Synthetics:Storage:FlushBudgetSeconds", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("Synthetics:Storage:ReadPageSize", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_BadConnectionString_NamesTheFieldWithoutQuotingIt()
    {
        var error = Invalid(o => o.Storage.ConnectionString = "AccountKey=s3cret-key;nonsense");

        Assert.Contains("Synthetics:Storage:ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_PlainHttpEndpointOffLoopback_IsRejected()
    {
        var error = Invalid(o => o.Storage.Endpoint = "http://account.table.core.windows.net");

        Assert.Contains("Synthetics:Storage:Endpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_StorageSection_BindsAndRejectsUnknownKeys()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Synthetics:Storage:Endpoint"] = "https://acct.table.core.windows.net",
            ["Synthetics:Storage:RetentionDays"] = "7",
            ["Synthetics:RetentionSchedule"] = "0 0 * * * *",
        }).Build();

        var options = SyntheticsConfiguration.Bind(configuration, null);

        Assert.Equal("https://acct.table.core.windows.net", options.Storage.Endpoint);
        Assert.Equal(7, options.Storage.RetentionDays);
        Assert.Equal("0 0 * * * *", options.RetentionSchedule);
        var unknown = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Synthetics:Storage:RetentionDayz"] = "7" }).Build();
        Assert.Contains("RetentionDayz", Assert.Throws<ConfigurationException>(() => { _ = SyntheticsConfiguration.Bind(unknown, null); }).Message, StringComparison.Ordinal);
    }
}
