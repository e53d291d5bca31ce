using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;
using Synthetics.Core.Tests.Support;

namespace Synthetics.Functions.Tests;

public sealed class FunctionCompositionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("synthetics-functions-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private readonly EventLog _log = new();

    /// <summary>The Function App's composition (Program.cs: AddSynthetics, AddRealTimeOnly) and its trigger classes.</summary>
    private ServiceProvider Compose(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(_log))
            .AddSynthetics(configuration, _dir)
            .AddRealTimeOnly();
        services.AddSingleton<ProbeCycleFunction>();
        services.AddSingleton<EvaluateFunction>();
        services.AddSingleton<RetentionFunction>();
        services.AddSingleton<DiscoverFunction>();
        services.AddSingleton<MaintenanceFunction>();
        return services.BuildServiceProvider();
    }

    private static Dictionary<string, string?> StorageSettings(string connectionString) => new()
    {
        ["Synthetics:VantagePoint"] = "functions-test",
        ["Synthetics:Storage:ConnectionString"] = connectionString,
        ["Synthetics:Storage:ResultsByTimeTable"] = AzuriteFixture.UniqueTableName("FnTime"),
        ["Synthetics:Storage:ResultsByTargetTable"] = AzuriteFixture.UniqueTableName("FnTarget"),
        ["Synthetics:Storage:IncidentsTable"] = AzuriteFixture.UniqueTableName("FnIncidents"),
        ["Synthetics:Storage:OutboxDirectory"] = "outbox",
        // No look-ups on the real status page from a test.
        ["Synthetics:Maintenance:StatusPageUrl"] = "",
    };

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

        // A TCP target's default probes: the connect, and the disruption sampler's new-connection series.
        Assert.Equal(
            [("functions-test", "db", "disruption-new", "refused"), ("functions-test", "db", "tcp", "refused")],
            stored.Select(e => (e.GetString("Vantage"), e.GetString("Target"), e.GetString("Probe"), e.GetString("Outcome"))).Order());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_dir, "outbox")));
    }

    [Fact]
    public async Task ProbeCycle_KubeconfigKeyVaultReferenceUnresolved_ReportsItAndProbesTheOthers()
    {
        // App Service leaves a Key Vault reference it cannot resolve (secret deleted, access revoked) as written.
        var settings = StorageSettings(azurite.ConnectionString);
        settings["Synthetics:Targets:0:Name"] = "ca-prod-api";
        settings["Synthetics:Targets:0:Kind"] = "KubernetesApi";
        settings["Synthetics:Targets:0:Region"] = "ca-central";
        settings["Synthetics:Targets:0:KubeconfigContent"] = "@Microsoft.KeyVault(SecretUri=https://kv-lke.vault.azure.net/secrets/ca-prod-kubeconfig/)";
        settings["Synthetics:Targets:1:Name"] = "db";
        settings["Synthetics:Targets:1:Kind"] = "Tcp";
        settings["Synthetics:Targets:1:Region"] = "ca-central";
        settings["Synthetics:Targets:1:Host"] = "127.0.0.1";
        settings["Synthetics:Targets:1:Port"] = ClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var services = Compose(settings);

        // The host starts (options validated as the worker validates them) and the trigger runs.
        _ = services.GetRequiredService<IOptions<SyntheticsOptions>>().Value;
        await services.GetRequiredService<ProbeCycleFunction>().RunAsync(new TimerInfo(), CancellationToken.None);

        var stored = new List<TableEntity>();
        await foreach (var entity in new TableClient(azurite.ConnectionString, settings["Synthetics:Storage:ResultsByTimeTable"]).QueryAsync<TableEntity>())
        {
            stored.Add(entity);
        }

        Assert.Equal(
            [("ca-prod-api", "config", "error"), ("db", "disruption-new", "refused"), ("db", "tcp", "refused")],
            stored.Select(e => (e.GetString("Target"), e.GetString("Probe"), e.GetString("Outcome"))).Order());
        Assert.StartsWith("not probed: KubeconfigContent is a Key Vault reference", stored.Single(e => e.GetString("Probe") == "config").GetString("Message"), StringComparison.Ordinal);
        Assert.Contains(2001, _log.EventIds);
    }

    [Fact]
    public async Task Evaluate_OneTick_EvaluatesTheWindowAndLogsWhatItDid()
    {
        await using var services = Compose(StorageSettings(azurite.ConnectionString));

        await services.GetRequiredService<EvaluateFunction>().RunAsync(new TimerInfo(), CancellationToken.None);

        // EvaluationCycle's "Evaluate: skipped …, … results in the window" line: the evaluation ran to the end.
        Assert.Contains(5020, _log.EventIds);
        Assert.DoesNotContain(5021, _log.EventIds);
    }

    [Fact]
    public async Task Evaluate_TableServiceUnreachable_CompletesAndLogsTheFailure()
    {
        var unreachable = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteKey};TableEndpoint=http://127.0.0.1:{ClosedPort()}/devstoreaccount1;";
        await using var services = Compose(StorageSettings(unreachable));

        // A failed evaluation is the run's result, not the invocation's exception: the next tick tries again.
        await services.GetRequiredService<EvaluateFunction>().RunAsync(new TimerInfo(), CancellationToken.None);

        Assert.Contains(5021, _log.EventIds);
    }

    [Fact]
    public void Composition_TimeScaleOtherThanOne_IsRefusedAtStartNamingTheSetting()
    {
        var settings = StorageSettings(azurite.ConnectionString);
        settings["Synthetics:TimeScale"] = "5";
        using var services = Compose(settings);

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SyntheticsOptions>>().Value);

        var line = Assert.Single(refused.Failures);
        Assert.StartsWith("Synthetics:TimeScale must be 1 in the Function App (was 5)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", line, StringComparison.Ordinal);
    }

    [Fact]
    public void TriggerSchedules_AreTheScheduleSettingsTheCyclesRunOn()
    {
        Assert.Equal("%Synthetics:ProbeSchedule%", Schedule<ProbeCycleFunction>());
        Assert.Equal("%Synthetics:EvaluationSchedule%", Schedule<EvaluateFunction>());
        Assert.Equal("%Synthetics:RetentionSchedule%", Schedule<RetentionFunction>());
        Assert.Equal("%Synthetics:DiscoverySchedule%", Schedule<DiscoverFunction>());
        Assert.Equal("%Synthetics:MaintenanceSchedule%", Schedule<MaintenanceFunction>());
    }

    [Fact]
    public async Task Discover_OneTickWithoutAToken_DoesNothing()
    {
        await using var services = Compose(StorageSettings(azurite.ConnectionString));

        await services.GetRequiredService<DiscoverFunction>().RunAsync(new TimerInfo(), CancellationToken.None);

        // Off without Synthetics:Linode:Token: no discovery line, no failure line.
        Assert.DoesNotContain(5040, _log.EventIds);
        Assert.DoesNotContain(5041, _log.EventIds);
    }

    private static string Schedule<TFunction>()
    {
        var parameter = typeof(TFunction).GetMethod("RunAsync")!.GetParameters()[0];
        return parameter.GetCustomAttributes(typeof(TimerTriggerAttribute), inherit: false).Cast<TimerTriggerAttribute>().Single().Schedule;
    }

    // Azurite's well-known development key (public, documented), for an account that is not there.
    private const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

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

        // RetentionCycle's "Retention finished" line, not its failure.
        Assert.Contains(5030, _log.EventIds);
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
        Assert.Equal("20 7 * * * *", options.DiscoverySchedule);
        Assert.Equal("40 */15 * * * *", options.MaintenanceSchedule);
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

    [Fact]
    public void ShippedRuntimeConfig_ThreadPoolDoesNotSpin_AsInTheProcessesThatTestIt()
    {
        const string SpinLimit = "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit";
        // The Function App's own runtimeconfig.json, copied beside its tests by the project reference.
        var shipped = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Synthetics.Functions.runtimeconfig.json")))!;

        Assert.Equal("0", shipped["runtimeOptions"]!["configProperties"]![SpinLimit]!.ToString());
        Assert.Equal("0", AppContext.GetData(SpinLimit)?.ToString());
    }

    /// <summary>Event ids of everything logged, to see what a trigger did without reading its internals.</summary>
    private sealed class EventLog : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<int> _ids = new();

        public IReadOnlyCollection<int> EventIds => [.. _ids];

        public ILogger CreateLogger(string categoryName) => new Logger(_ids);

        public void Dispose()
        {
        }

        private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<int> ids) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                ids.Enqueue(eventId.Id);
        }
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
