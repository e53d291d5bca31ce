using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;

namespace Synthetics.Functions.Tests;

/// <summary>host.json tells the host how telemetry flows; the worker's composition must agree with it.</summary>
public sealed class TelemetryWiringTests : IDisposable
{
    // A connection string whose ingestion endpoint is a closed loopback port: nothing leaves the machine.
    private const string ConnectionString = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/";

    private readonly string _dir = Directory.CreateTempSubdirectory("synthetics-telemetry-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void HostJson_TelemetryMode_IsTheModeTheWorkerIsWiredFor()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "host.json")))!;

        Assert.Equal(FunctionAppComposition.TelemetryMode, host["telemetryMode"]?.GetValue<string>());
    }

    [Fact]
    public void AddFunctionApp_WithConnectionString_ExportsThroughOpenTelemetryAndTellsTheHost()
    {
        using var services = Compose(new() { [FunctionAppComposition.ConnectionStringSetting] = ConnectionString });

        var worker = services.GetRequiredService<IOptions<WorkerOptions>>().Value;

        // The capability is how the host learns the worker exports its own telemetry (else both would, or neither).
        Assert.Equal(bool.TrueString, worker.Capabilities["WorkerOpenTelemetryEnabled"]);
        Assert.NotNull(services.GetService<TracerProvider>());
    }

    [Fact]
    public void AddFunctionApp_WithoutConnectionString_ExportsNothing()
    {
        using var services = Compose([]);

        var worker = services.GetRequiredService<IOptions<WorkerOptions>>().Value;

        Assert.False(worker.Capabilities.ContainsKey("WorkerOpenTelemetryEnabled"));
        Assert.Null(services.GetService<TracerProvider>());
    }

    private ServiceProvider Compose(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddFunctionApp(configuration, _dir).BuildServiceProvider();
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
