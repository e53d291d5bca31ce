using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Synthetics.Cli.Demo;
using Synthetics.Lab.Scenarios;
using Xunit.Abstractions;

namespace Synthetics.Cli.Tests.Scenarios;

/// <summary>
/// The evidence report march-12 writes for its incident (as <c>demo</c> does), read against the table the run stored
/// in: every failed attempt the store holds for the incident, every vantage, the maintenance, no secret.
/// </summary>
[Collection(LabScenarioGroup.Name)]
[Trait("Category", LabScenarioGroup.Category)]
public sealed class March12EvidenceTests(LabScenarioRuns runs, ITestOutputHelper output)
{
    private async Task<(DemoSummary Summary, string Html, JsonDocument Json)> ReportAsync()
    {
        var summary = await runs.SummaryOf(LabScenarios.March12, output);
        var html = Assert.Single(summary.EvidenceReports);
        output.WriteLine($"evidence report {html}");
        Assert.StartsWith(runs.EvidenceDirectory, html, StringComparison.Ordinal);
        var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.ChangeExtension(html, ".json")));
        return (summary, await File.ReadAllTextAsync(html), json);
    }

    [Fact]
    public async Task March12_EvidenceReport_ListsEveryFailedAttemptTheStoreHoldsForTheIncident()
    {
        var (summary, html, json) = await ReportAsync();
        using var _ = json;
        var root = json.RootElement;
        var from = root.GetProperty("from").GetDateTimeOffset();
        var to = root.GetProperty("to").GetDateTimeOffset();
        var subject = root.GetProperty("subject");
        var targets = subject.GetProperty("targets").EnumerateArray().Select(t => t.GetString()!).ToHashSet(StringComparer.Ordinal);

        // Straight from the run's table: the failed rows of the incident's targets in the report's window, a sampler's row
        // counting each failed sample it lists.
        var table = new TableClient(runs.StorageConnectionString, summary.TablePrefix + "ByTarget");
        var inTable = 0;
        for (var day = from.UtcDateTime.Date; day <= to.UtcDateTime.Date; day = day.AddDays(1))
        {
            var partition = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "|ca-central";
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and Success eq {false} and Ticks ge {from.UtcTicks} and Ticks lt {to.UtcTicks}");
            await foreach (var entity in table.QueryAsync<TableEntity>(filter))
            {
                inTable += targets.Contains(entity.GetString("Target")) ? FailedSamples(entity.GetString("Details")) ?? 1 : 0;
            }
        }

        var listed = root.GetProperty("failedAttempts").GetArrayLength();
        output.WriteLine($"{listed} failed attempts listed, {inTable} in the table, {root.GetProperty("attempts").GetInt32()} runs");
        Assert.True(inTable > 0, "the store holds no failure for the incident");
        Assert.Equal(inTable, listed);
        Assert.Contains($"Every failed attempt ({inTable})", html, StringComparison.Ordinal);
        Assert.Equal(summary.Opened.Single().Incident.Id, subject.GetProperty("incidentId").GetString());
    }

    private static int? FailedSamples(string? details)
    {
        if (details is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(details);
        return document.RootElement.TryGetProperty("failedSamples", out var samples) ? samples.GetArrayLength() : null;
    }

    [Fact]
    public async Task March12_EvidenceReport_ShowsEveryVantageAndNamesTheMaintenance()
    {
        var (_, html, json) = await ReportAsync();
        using var _ = json;
        var root = json.RootElement;

        string[] vantages = ["asia-east", "eu-west", "us-central"];
        Assert.Equal(vantages, root.GetProperty("vantages").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(vantages, root.GetProperty("timelines").EnumerateArray().Select(t => t.GetProperty("vantage").GetString()));
        Assert.Equal(vantages, root.GetProperty("monitor").EnumerateArray().Select(m => m.GetProperty("vantage").GetString()));
        foreach (var vantage in vantages)
        {
            Assert.Contains($"<h3>From {vantage}</h3>", html, StringComparison.Ordinal);
        }

        Assert.Contains(root.GetProperty("maintenances").EnumerateArray(), m => m.GetProperty("name").GetString()!.Contains("NodeBalancer improvements", StringComparison.Ordinal));
        Assert.Contains("NodeBalancer improvements", html, StringComparison.Ordinal);
        Assert.Contains("NodeBalancer improvements", root.GetProperty("ask").GetString(), StringComparison.Ordinal);
        // us-east stayed healthy beside it, from the same vantages.
        var usEast = root.GetProperty("regions").EnumerateArray().Single(r => r.GetProperty("region").GetString() == "us-east");
        Assert.True(usEast.GetProperty("attempts").GetInt32() > 0);
    }

    [Fact]
    public async Task March12_EvidenceReport_HoldsNoTokenKubeconfigOrConnectionString()
    {
        var (_, html, json) = await ReportAsync();
        var text = html + json.RootElement.GetRawText();
        json.Dispose();

        Assert.DoesNotContain(runs.StorageConnectionString, text, StringComparison.Ordinal);
        foreach (var secret in new[] { "AccountKey", "DefaultEndpointsProtocol", "UseDevelopmentStorage", "-----BEGIN", "client-key-data", "client-certificate-data", "certificate-authority-data", "token:", "lke-synthetics-demo-" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }

        // The only bearer token in the report is the placeholder of the reproduction.
        var bearers = text.Split("Bearer ").Skip(1).Select(rest => rest[..Math.Min(6, rest.Length)]).Distinct().ToList();
        Assert.All(bearers, b => Assert.StartsWith("$TOKEN", b, StringComparison.Ordinal));
    }
}
