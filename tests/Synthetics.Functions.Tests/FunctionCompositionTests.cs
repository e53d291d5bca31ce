using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;
using Synthetics.Core.Tests.Support;

namespace Synthetics.Functions.Tests;

public sealed class FunctionCompositionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("synthetics-functions-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ServiceProvider Compose(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddSynthetics(configuration, _dir);
        services.AddSingleton<ProbeCycleFunction>();
        services.AddSingleton<RetentionFunction>();
        return services.BuildServiceProvider();
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task ProbeCycle_OneTick_ProbesAndStoresEveryResult()
    {
        var table = AzuriteFixture.UniqueTableName("FnTime");
        await using var services = Compose(new()
        {
            ["Synthetics:VantagePoint"] = "functions-test",
            ["Synthetics:Storage:ConnectionString"] = azurite.ConnectionString,
            ["Synthetics:Storage:ResultsByTimeTable"] = table,
            ["Synthetics:Storage:ResultsByTargetTable"] = AzuriteFixture.UniqueTableName("FnTarget"),
            ["Synthetics:Storage:OutboxDirectory"] = "outbox",
            ["Synthetics:Targets:0:Name"] = "db",
            ["Synthetics:Targets:0:Kind"] = "Tcp",
            ["Synthetics:Targets:0:Region"] = "ca-central",
            ["Synthetics:Targets:0:Host"] = "127.0.0.1",
            ["Synthetics:Targets:0:Port"] = ClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        await services.GetRequiredService<ProbeCycleFunction>().RunAsync(new TimerInfo(), CancellationToken.None);

        var stored = new List<TableEntity>();
        await foreach (var entity in new TableClient(azurite.ConnectionString, table).QueryAsync<TableEntity>())
        {
            stored.Add(entity);
        }

        var only = Assert.Single(stored);
        Assert.Equal(("functions-test", "db", "tcp", "refused"), (only.GetString("Vantage"), only.GetString("Target"), only.GetString("Probe"), only.GetString("Outcome")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_dir, "outbox")));
    }

    [Fact]
    public async Task Retention_OneTick_RunsAgainstAnEmptyAccount()
    {
        await using var services = Compose(new()
        {
            ["Synthetics:Storage:ConnectionString"] = azurite.ConnectionString,
            ["Synthetics:Storage:ResultsByTimeTable"] = AzuriteFixture.UniqueTableName("FnTime"),
            ["Synthetics:Storage:ResultsByTargetTable"] = AzuriteFixture.UniqueTableName("FnTarget"),
        });

        await services.GetRequiredService<RetentionFunction>().RunAsync(new TimerInfo(), CancellationToken.None);
    }

    [Fact]
    public void LocalSettingsSample_BindsAndValidates()
    {
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "functions", "Synthetics.Functions", "local.settings.sample.json")))!;
        var values = sample["Values"]!.AsObject().ToDictionary(p => p.Key, p => (string?)p.Value!.GetValue<string>());
        using var services = Compose(values);

        var options = services.GetRequiredService<IOptions<SyntheticsOptions>>().Value;

        Assert.Equal("UseDevelopmentStorage=true", options.Storage.ConnectionString);
        Assert.Equal("0 17 * * * *", options.RetentionSchedule);
        Assert.Equal(30, options.Storage.RetentionDays);
    }

    [Fact]
    public void HostJson_FunctionTimeout_CoversTheBudgetsOfEveryFunction()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "host.json")))!;
        var timeout = TimeSpan.Parse(host["functionTimeout"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var defaults = new SyntheticsOptions();

        // ProbeCycle: the cycle budget, then the flush budget; Retention: its budget plus one last request.
        Assert.True(timeout >= TimeSpan.FromSeconds(defaults.Probing.CycleBudgetSeconds + defaults.Storage.FlushBudgetSeconds + defaults.Storage.RequestTimeoutSeconds));
        Assert.True(timeout >= TimeSpan.FromSeconds(defaults.Storage.RetentionBudgetSeconds + defaults.Storage.RequestTimeoutSeconds));
        Assert.True(timeout <= TimeSpan.FromMinutes(5), "a stuck singleton timer must not hold the next ticks for long");
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "Synthetics.sln")))
        {
            dir = dir.Parent;
        }

        return dir.FullName;
    }
}
