using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Synthetics.Core.Tests.Support;

namespace Synthetics.Cli.Tests.Commands;

public sealed class RunCommandTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("synthetics-cli-run-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Config(string byTime, string byTarget, string storageExtra = "")
    {
        var closed = ClosedPort();
        var path = Path.Combine(_dir, "synthetics.json");
        File.WriteAllText(path, $$"""
            { "Synthetics": {
                "VantagePoint": "cli-run",
                "ProbeSchedule": "*/1 * * * * *",
                "Probing": { "Sampling": { "Enabled": false } },
                "Maintenance": { "StatusPageUrl": "" },
                "Storage": {
                  "ConnectionString": "{{azurite.ConnectionString}}",
                  "ResultsByTimeTable": "{{byTime}}", "ResultsByTargetTable": "{{byTarget}}",
                  "OutboxDirectory": "outbox" {{storageExtra}}
                },
                "Targets": [
                  { "Name": "db-1", "Kind": "Tcp", "Region": "ca-central", "Host": "127.0.0.1", "Port": {{closed}} },
                  { "Name": "db-2", "Kind": "Tcp", "Region": "ca-central", "Host": "127.0.0.1", "Port": {{closed}} } ] } }
            """);
        return path;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<List<TableEntity>> Entities(string table)
    {
        var client = new TableClient(azurite.ConnectionString, table);
        var entities = new List<TableEntity>();
        await foreach (var entity in client.QueryAsync<TableEntity>())
        {
            entities.Add(entity);
        }

        return entities;
    }

    [Fact]
    public async Task Run_EverySecondAgainstAzurite_StoresEveryCycleExactlyOnce()
    {
        var byTime = AzuriteFixture.UniqueTableName("RunTime");
        var byTarget = AzuriteFixture.UniqueTableName("RunTarget");
        var config = Config(byTime, byTarget);

        var (exit, output, error) = await CliRun.UntilAsync(o => CliRun.Lines(o, CliRun.JsonCycleLine) >= 3, "run", "--config", config, "--format", "json");

        Assert.Equal(0, exit);
        Assert.DoesNotContain("error", error, StringComparison.OrdinalIgnoreCase);
        // Other line types (an evaluation when the run spans EvaluationSchedule) may appear: the contract allows them.
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.All(lines, l => Assert.Contains(l["type"]!.GetValue<string>(), new[] { "cycle", "evaluation" }));
        var cycles = lines.Where(l => l["type"]!.GetValue<string>() == "cycle").ToList();
        Assert.InRange(cycles.Count, 2, 6);
        var produced = cycles.Sum(c => c["results"]!.GetValue<int>());
        // The last cycle may be cut by the stop: it reports what it measured, which is stored too.
        Assert.InRange(produced, (cycles.Count - 1) * 2, cycles.Count * 2);

        var stored = await Entities(byTime);
        Assert.Equal(produced, stored.Count);
        Assert.All(stored, e => Assert.Equal(("cli-run", "refused"), (e.GetString("Vantage"), e.GetString("Outcome"))));
        Assert.Equal(produced, (await Entities(byTarget)).Count);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_dir, "outbox")));
    }

    [Fact]
    public async Task Run_TextFormat_PrintsOneSummaryLinePerCycle()
    {
        var config = Config(AzuriteFixture.UniqueTableName("RunTime"), AzuriteFixture.UniqueTableName("RunTarget"));

        var (exit, output, _) = await CliRun.UntilAsync(o => CliRun.Lines(o, "cycle ") >= 2, "run", "--config", config, "--vantage", "westeurope");

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("evaluation ", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(lines);
        Assert.All(lines[..^1], l => Assert.Matches(@"^cycle \S+Z at westeurope: 2 results, 2 failed, \d+ ms; outbox \d+ batches pending$", l.TrimEnd('\r')));
        Assert.Matches(@"^cycle \S+Z at westeurope: \d results, \d failed, \d+ ms; outbox \d+ batches pending$", lines[^1].TrimEnd('\r'));
    }

    [Fact]
    public async Task Run_BadStorageSettings_ExitsTwoNamingTheField()
    {
        var config = Config("RunTimeBad", "RunTargetBad", """, "RetentionDays": 0""");

        var (exit, output, error) = await CliRun.UntilAsync(_ => false, "run", "--config", config);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("Synthetics:Storage:RetentionDays", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Eby8vdM02", error, StringComparison.Ordinal);
    }
}
