using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Synthetics.Core.Tests.Explain;
using Synthetics.Core.Tests.Support;
using Synthetics.Detection;
using Synthetics.Storage;

namespace Synthetics.Cli.Tests.Commands;

/// <summary><c>evidence</c> and <c>report</c> against a March-12-shaped incident in Azurite, through the command line's own composition.</summary>
public sealed class ExplainCommandTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 12, 13, 30, 0, TimeSpan.Zero);

    private readonly string _dir = Directory.CreateTempSubdirectory("synthetics-cli-evidence-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApplication.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>A config naming fresh tables and the incident's targets, and the incident written through that config's own store.</summary>
    private async Task<(string Config, March12Evidence Data)> WriteAsync()
    {
        var prefix = AzuriteFixture.UniqueTableName("Ev");
        var path = Path.Combine(_dir, "synthetics.json");
        var targets = string.Join(",\n", March12Evidence.Targets.Select(t =>
            $$"""{ "Name": "{{t.Name}}", "Kind": "Tcp", "Region": "{{t.Region}}", "Host": "{{t.Remote.Split(':')[0]}}", "Port": 443 }"""));
        await File.WriteAllTextAsync(path, $$"""
            { "Synthetics": {
                "VantagePoint": "cli-evidence",
                "Storage": {
                  "ConnectionString": "{{azurite.ConnectionString}}",
                  "ResultsByTimeTable": "{{prefix}}Time", "ResultsByTargetTable": "{{prefix}}Target",
                  "CyclesTable": "{{prefix}}Cycles", "IncidentsTable": "{{prefix}}Incidents", "OutboxDirectory": "outbox"
                },
                "Maintenance": { "StatusPageUrl": "" },
                "Targets": [ {{targets}} ] } }
            """);
        var configuration = new ConfigurationBuilder().AddJsonFile(path).Build();
        await using var services = new ServiceCollection().AddLogging().AddSynthetics(configuration, _dir).BuildServiceProvider();
        var data = await March12Evidence.WriteAsync(
            services.GetRequiredService<IResultStore>(), services.GetRequiredService<IIncidentStateStore>(), Start, minutes: 50);
        return (path, data);
    }

    [Fact]
    public async Task Evidence_Incident_WritesTheHtmlFileAndPrintsItsPath()
    {
        var (config, data) = await WriteAsync();
        var report = Path.Combine(_dir, "out", "report.html");

        var (exit, output, error) = await Run("evidence", "--config", config, "--incident", data.IncidentId, "--out", report);

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.StartsWith(report, output, StringComparison.Ordinal);
        var html = await File.ReadAllTextAsync(report);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<svg ", html, StringComparison.Ordinal);
        Assert.Contains($"{data.Results.Count(r => !r.Success && r.Region == "ca-central")} failed attempts", output, StringComparison.Ordinal);
        Assert.DoesNotContain(azurite.ConnectionString, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evidence_RegionAsMarkdown_GoesToStandardOutput()
    {
        var (config, data) = await WriteAsync();

        var (exit, output, error) = await Run(
            "evidence", "--config", config, "--region", "ca-central", "--from", "2026-03-12T13:50:00Z", "--to", "2026-03-12T14:20:00", "--format", "md");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.StartsWith("# Evidence: region ca-central", output, StringComparison.Ordinal);
        Assert.Contains(data.IncidentId, output, StringComparison.Ordinal);
        Assert.Contains("Window read: 2026-03-12 13:50:00 UTC to 2026-03-12 14:20:00 UTC", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evidence_TargetAsJson_CarriesEveryFailedAttemptOfThatTarget()
    {
        var (config, data) = await WriteAsync();

        var (exit, output, _) = await Run(
            "evidence", "--config", config, "--target", "ca-web", "--from", "2026-03-12T13:30:00Z", "--to", "2026-03-12T14:20:00Z", "--format", "json");

        Assert.Equal(0, exit);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal(data.Results.Count(r => r.Target == "ca-web" && !r.Success), json.RootElement.GetProperty("failedAttempts").GetArrayLength());
    }

    [Theory]
    [InlineData("--incident", "provider:nowhere@20260312T140000Z", "no incident 'provider:nowhere@20260312T140000Z'")]
    [InlineData("--target", "no-such-target", "no target 'no-such-target'")]
    public async Task Evidence_UnknownSubject_ExitsTwoWithOneLineNamingIt(string option, string value, string expected)
    {
        var (config, _) = await WriteAsync();

        var (exit, output, error) = await Run("evidence", "--config", config, option, value);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--region", "ca-central", "--target", "ca-web")]
    [InlineData("--from", "2026-03-12T13:00:00Z", "--to", "2026-03-12T14:00:00Z")]
    [InlineData("--region", "ca-central", "--from", "yesterday")]
    [InlineData("--region", "ca-central", "--format", "pdf")]
    public async Task Evidence_BadUsage_ExitsTwoWithoutAStackTrace(params string[] args)
    {
        var config = Path.Combine(_dir, "unused.json");
        await File.WriteAllTextAsync(config, """{ "Synthetics": { "Targets": [] } }""");

        var (exit, _, error) = await Run(["evidence", "--config", config, .. args]);

        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_Month_WritesTheUptimeReportWithTheSlaComparison()
    {
        var (config, data) = await WriteAsync();

        var (exit, output, error) = await Run("report", "--config", config, "--month", "2026-03", "--format", "md");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.StartsWith("# Uptime 2026-03", output, StringComparison.Ordinal);
        Assert.Contains("Linode Non-Compute Service Level Addendum", output, StringComparison.Ordinal);
        Assert.Contains(data.IncidentId, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("March")]
    [InlineData("2099-01")]
    public async Task Report_BadOrFutureMonth_ExitsTwoWithOneLine(string month)
    {
        var (config, _) = await WriteAsync();

        var (exit, output, error) = await Run("report", "--config", config, "--month", month);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.StartsWith("error: ", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }
}
