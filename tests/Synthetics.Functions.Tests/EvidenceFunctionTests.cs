using System.Net;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Synthetics.Core.Tests.Explain;
using Synthetics.Core.Tests.Support;
using Synthetics.Detection;
using Synthetics.Storage;

namespace Synthetics.Functions.Tests;

/// <summary>
/// The HTTP evidence function on the Function App's own composition (AddFunctionApp), over a March-12-shaped incident in
/// Azurite; the Functions host is played by fakes of its request and response.
/// </summary>
public sealed class EvidenceFunctionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 12, 13, 30, 0, TimeSpan.Zero);

    private readonly string _dir = Directory.CreateTempSubdirectory("synthetics-functions-evidence-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<(ServiceProvider Services, March12Evidence Data)> ComposeAsync()
    {
        var prefix = AzuriteFixture.UniqueTableName("FnEv");
        var settings = new Dictionary<string, string?>
        {
            ["Synthetics:VantagePoint"] = "functions-test",
            ["Synthetics:Storage:ConnectionString"] = azurite.ConnectionString,
            ["Synthetics:Storage:ResultsByTimeTable"] = prefix + "Time",
            ["Synthetics:Storage:ResultsByTargetTable"] = prefix + "Target",
            ["Synthetics:Storage:CyclesTable"] = prefix + "Cycles",
            ["Synthetics:Storage:IncidentsTable"] = prefix + "Incidents",
            ["Synthetics:Storage:OutboxDirectory"] = "outbox",
            ["Synthetics:Maintenance:StatusPageUrl"] = "",
        };
        for (var i = 0; i < March12Evidence.Targets.Length; i++)
        {
            var t = March12Evidence.Targets[i];
            settings[$"Synthetics:Targets:{i}:Name"] = t.Name;
            settings[$"Synthetics:Targets:{i}:Kind"] = "Tcp";
            settings[$"Synthetics:Targets:{i}:Region"] = t.Region;
            settings[$"Synthetics:Targets:{i}:Host"] = t.Remote.Split(':')[0];
            settings[$"Synthetics:Targets:{i}:Port"] = "443";
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddFunctionApp(configuration, _dir);
        services.AddSingleton<EvidenceFunction>();
        var provider = services.BuildServiceProvider();
        var data = await March12Evidence.WriteAsync(
            provider.GetRequiredService<IResultStore>(), provider.GetRequiredService<IIncidentStateStore>(), Start, minutes: 50);
        return (provider, data);
    }

    private static async Task<FakeHttpResponse> GetAsync(ServiceProvider services, string query)
    {
        var request = new FakeHttpRequest(new FakeFunctionContext(services), new Uri("https://synthetics.example.test/api/evidence?" + query));
        return (FakeHttpResponse)await services.GetRequiredService<EvidenceFunction>().RunAsync(request, CancellationToken.None);
    }

    [Fact]
    public void Evidence_RequiresAFunctionKey()
    {
        var parameter = typeof(EvidenceFunction).GetMethod(nameof(EvidenceFunction.RunAsync))!.GetParameters()[0];
        var trigger = parameter.GetCustomAttribute<HttpTriggerAttribute>();

        Assert.NotNull(trigger);
        Assert.Equal(AuthorizationLevel.Function, trigger.AuthLevel);
        Assert.Equal(["get"], trigger.Methods ?? []);
        Assert.Equal("evidence", trigger.Route);
    }

    [Fact]
    public async Task Evidence_Incident_ServesTheSelfContainedHtmlReport()
    {
        var (services, data) = await ComposeAsync();
        await using var _ = services;

        var response = await GetAsync(services, "incident=" + Uri.EscapeDataString(data.IncidentId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Header("Content-Type"));
        Assert.Contains("default-src 'none'", response.Header("Content-Security-Policy"), StringComparison.Ordinal);
        var html = response.Text();
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(data.IncidentId), html, StringComparison.Ordinal);
        Assert.Contains($"Every failed attempt ({data.Results.Count(r => !r.Success && r.Region == "ca-central")})", html, StringComparison.Ordinal);
        Assert.DoesNotContain(azurite.ConnectionString, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evidence_JsonFormat_CarriesEveryFailedAttempt()
    {
        var (services, data) = await ComposeAsync();
        await using var _ = services;

        var response = await GetAsync(services, "region=ca-central&from=2026-03-12T13:30:00Z&to=2026-03-12T14:20:00Z&format=json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Header("Content-Type"));
        using var json = System.Text.Json.JsonDocument.Parse(response.Text());
        Assert.Equal(data.Results.Count(r => !r.Success && r.Region == "ca-central"), json.RootElement.GetProperty("failedAttempts").GetArrayLength());
    }

    [Theory]
    [InlineData("incident=provider%3Anowhere%4020260312T140000Z", "no incident")]
    [InlineData("region=ca-central&target=ca-web", "exactly one")]
    [InlineData("region=ca-central&format=pdf", "format")]
    [InlineData("region=ca-central&from=yesterday", "ISO 8601")]
    public async Task Evidence_BadRequest_AnswersBadRequestWithOneLine(string query, string expected)
    {
        var (services, _) = await ComposeAsync();
        await using var _ = services;

        var response = await GetAsync(services, query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = response.Text();
        Assert.StartsWith("error: ", text, StringComparison.Ordinal);
        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
