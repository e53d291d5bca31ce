using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using Synthetics.Configuration;
using Synthetics.Core.Tests.Storage;
using Synthetics.Core.Tests.Support;
using Synthetics.Explain;
using Synthetics.Storage;
using Synthetics.Targets;

namespace Synthetics.Core.Tests.Explain;

/// <summary>Evidence built from a March-12-shaped incident written to Azurite, read back through the store's keys.</summary>
public sealed class EvidenceBuilderTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Token = "evidence-test-bearer-token-0f9e8d7c6b5a";
    private static readonly DateTimeOffset Start = new(2026, 3, 12, 13, 30, 0, TimeSpan.Zero);

    private async Task<(EvidenceBuilder Builder, March12Evidence Data, SyntheticsOptions Options)> WriteAsync(int minutes = 60)
    {
        var options = StorageTestData.Options(azurite.ConnectionString);
        options.Targets = [.. March12Evidence.Targets.Select(t => new TargetOptions { Name = t.Name, Kind = t.Kind, Region = t.Region })];
        var store = StorageTestData.Store(options);
        var incidents = StorageTestData.IncidentStore(options);
        var data = await March12Evidence.WriteAsync(store, incidents, Start, minutes);
        var time = new FakeTimeProvider(Start.AddMinutes(minutes + 30));
        var builder = new EvidenceBuilder(
            store, incidents, data.StatusPage(), Microsoft.Extensions.Options.Options.Create(options), Catalog(), time);
        return (builder, data, options);
    }

    /// <summary>The targets as the catalog holds them: the control planes with a bearer token that must never reach a report.</summary>
    internal static ITargetCatalogSource Catalog() => March12Evidence.CatalogSource(Token);

    [Fact]
    public async Task BuildAsync_SamplerRunWithFailedSamples_ListsEachSampleWithItsSecondPhaseAndAuditId()
    {
        var (builder, data, options) = await WriteAsync();
        var at = data.Onset.AddMinutes(2).AddSeconds(1);
        var sampler = new Synthetics.Results.ProbeResult
        {
            Timestamp = at,
            Vantage = "eu-west",
            Target = "ca-prod-api",
            TargetKind = "KubernetesApi",
            Probe = "disruption-new",
            Region = "ca-central",
            Outcome = Synthetics.Results.ProbeOutcome.Timeout,
            DurationMs = 36_000,
            Details = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["series"] = "new",
                ["attempts"] = 36,
                ["failures"] = 2,
                ["failures.timeout"] = 1,
                ["failures.reset"] = 1,
                ["failedSamples"] = new[]
                {
                    $"{at.AddSeconds(4):yyyy-MM-dd'T'HH:mm:ss}Z|timeout|tls|192.0.2.10:443|7d0c1f9e-2b7a-4c55-9a43-1f2e3d4c5b6a|false",
                    $"{at.AddSeconds(17):yyyy-MM-dd'T'HH:mm:ss}Z|reset|connect|192.0.2.10:443|-|-",
                },
            },
        };
        await StorageTestData.Store(options).WriteAsync([sampler], CancellationToken.None);

        var report = await builder.BuildAsync(new EvidenceRequest { IncidentId = data.IncidentId }, CancellationToken.None);

        var samples = report.FailedAttempts.Where(a => a.Probe == "disruption-new/new").ToList();
        Assert.Equal(2, samples.Count);
        Assert.Equal(at.AddSeconds(4), samples[0].At);
        Assert.Equal(("timeout", "tls", "192.0.2.10:443", "7d0c1f9e-2b7a-4c55-9a43-1f2e3d4c5b6a", (bool?)false),
            (samples[0].Outcome, samples[0].Phase, samples[0].RemoteAddress, samples[0].AuditId, samples[0].AuditIdEchoed));
        Assert.Equal(("reset", "connect", (string?)null), (samples[1].Outcome, samples[1].Phase, samples[1].AuditId));
        Assert.All(samples, s => Assert.Equal("eu-west", s.Vantage));
        Assert.Equal(data.Results.Count(r => !r.Success && r.Region == "ca-central") + 2, report.FailedAttempts.Count);
    }

    [Fact]
    public async Task BuildAsync_March12Incident_ListsEveryFailedAttemptTheTableHolds()
    {
        var (builder, data, options) = await WriteAsync();

        var report = await builder.BuildAsync(new EvidenceRequest { IncidentId = data.IncidentId }, CancellationToken.None);

        // Straight from the table, not through the store: every failed row of the region in the report's window.
        var table = new TableClient(azurite.ConnectionString, options.Storage.ResultsByTargetTable);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {"20260312|ca-central"} and Success eq {false} and Ticks ge {report.From.UtcTicks} and Ticks lt {report.To.UtcTicks}");
        var inTable = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(filter))
        {
            inTable++;
        }

        Assert.True(inTable > 20, $"{inTable} failures written");
        Assert.Equal(inTable, report.FailedAttempts.Count);
        Assert.Equal(data.Results.Count(r => !r.Success && r.Region == "ca-central"), report.FailedAttempts.Count);
        Assert.Equal(report.FailedAttempts.Count, report.FailuresByOutcome.Values.Sum());
        Assert.All(report.FailedAttempts, a => Assert.True(a.At >= data.Onset && a.At < data.FaultEnd));
        Assert.Contains(report.FailedAttempts, a => a.AuditId is not null && a.AuditIdEchoed == false);
        Assert.Contains(report.FailedAttempts, a => a.Phase == "tls");
    }

    [Fact]
    public async Task BuildAsync_March12Incident_ShowsEveryVantageAndTheMonitorsOwnCycles()
    {
        var (builder, data, options) = await WriteAsync();

        var report = await builder.BuildAsync(new EvidenceRequest { IncidentId = data.IncidentId }, CancellationToken.None);

        Assert.Equal(March12Evidence.Vantages, report.Vantages);
        Assert.Equal(March12Evidence.Vantages, report.Timelines.Select(t => t.Vantage));
        Assert.Equal(March12Evidence.Vantages, report.Monitor.Select(m => m.Vantage));
        Assert.All(report.Monitor, m => Assert.True(m.Steady && m.Cycles >= 40, $"{m.Vantage}: {m.Cycles} cycles, longest gap {m.LongestGapSeconds} s"));
        Assert.Equal(["ca-prod-api", "ca-web", "ca-web-tcp"], report.Subject.Targets);
        Assert.Equal("region", report.Subject.Scope);
        Assert.Equal(data.ResolvedAt, report.Subject.ResolvedAt);
        Assert.Equal("region ca-central degraded: 3 targets from 3 vantage points", report.Subject.Summary);
        Assert.Equal(data.FirstSeenAt - options.Detection.Window, report.ProblemFrom);
        // Inside the fault the timeline shows the failures; before it, none.
        var euWest = report.Timelines.Single(t => t.Vantage == "eu-west").Minutes;
        Assert.Contains(euWest, m => m.Minute >= data.Onset && m.Failures > 0);
        Assert.DoesNotContain(euWest, m => m.Minute < data.Onset && m.Failures > 0);
    }

    [Fact]
    public async Task BuildAsync_March12Incident_PutsTheHealthyRegionAndTheBaselineBesideIt()
    {
        var (builder, data, _) = await WriteAsync();

        var report = await builder.BuildAsync(new EvidenceRequest { IncidentId = data.IncidentId }, CancellationToken.None);

        Assert.Equal(["ca-central", "us-east"], report.Regions.Select(r => r.Region));
        Assert.True(report.Regions[0].Failures > 0);
        Assert.Equal(0, report.Regions[1].Failures);
        Assert.True(report.Regions[1].Attempts > 500);
        var baseline = report.Baselines.Single(b => b.Target == "ca-web" && b.Vantage == "eu-west");
        Assert.Equal(0, baseline.Before.Failures);
        Assert.True(baseline.Before.Attempts > 50);
        Assert.NotNull(baseline.Before.P90Ms);
        Assert.Contains("us-east failed 0%", report.Ask, StringComparison.Ordinal);
        Assert.Contains("ran steadily", report.Ask, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_AVantageStalledInACycle_SaysItsOwnProcessStalledAndTheCycleWasNotJudged()
    {
        var (builder, data, options) = await WriteAsync();
        var stalled = new CycleRecord("eu-west", data.Onset.AddSeconds(90), TimeSpan.FromSeconds(41), 0, 0)
        {
            Stalled = true,
            LongestStall = TimeSpan.FromSeconds(2.5),
        };
        await StorageTestData.Store(options).WriteCycleAsync(stalled, [], CancellationToken.None);

        var report = await builder.BuildAsync(new EvidenceRequest { IncidentId = data.IncidentId }, CancellationToken.None);

        var euWest = report.Monitor.Single(m => m.Vantage == "eu-west");
        Assert.Equal((1, 2.5, false), (euWest.StalledCycles, euWest.LongestStallSeconds, euWest.Steady));
        Assert.All(report.Monitor.Where(m => m.Vantage != "eu-west"), m => Assert.Equal((0, true), (m.StalledCycles, m.Steady)));
        Assert.Contains("Vantage eu-west's own process stalled for up to 2.5 s in 1 of its cycles", report.Ask, StringComparison.Ordinal);
        Assert.DoesNotContain("ran steadily", report.Ask, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_March12Incident_NamesTheMaintenanceInEveryFormat()
    {
        var (builder, data, _) = await WriteAsync();

        var report = await builder.BuildAsync(new EvidenceRequest { IncidentId = data.IncidentId }, CancellationToken.None);

        var maintenance = Assert.Single(report.Maintenances);
        Assert.Equal(March12Evidence.MaintenanceName, maintenance.Name);
        Assert.Equal(["CA-Central (Toronto) NodeBalancers"], maintenance.Components);
        Assert.Contains(March12Evidence.MaintenanceName, report.Ask, StringComparison.Ordinal);
        foreach (var format in Enum.GetValues<EvidenceFormat>())
        {
            Assert.Contains(March12Evidence.MaintenanceName, EvidenceRenderer.Render(report, format), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Render_CustomerChangesRecorded_ListedBesideTheMaintenancesInEveryFormat()
    {
        var (builder, data, _) = await WriteAsync(minutes: 45);
        const string Change = "lke_cluster_update on LKE cluster ca-prod (1001) at 2026-03-12T13:58Z by ops";

        var report = await builder.BuildAsync(new EvidenceRequest { IncidentId = data.IncidentId }, CancellationToken.None);

        Assert.Empty(report.CustomerChanges);
        Assert.DoesNotContain("own changes overlapping", EvidenceMarkdown.Render(report), StringComparison.Ordinal);
        var withChange = report with { CustomerChanges = [Change] };
        Assert.Contains(Change, EvidenceJson.Render(withChange), StringComparison.Ordinal);
        Assert.Contains(Change, EvidenceHtml.Render(withChange), StringComparison.Ordinal);
        Assert.Contains("own changes overlapping", EvidenceHtml.Render(withChange), StringComparison.Ordinal);
        // Markdown escapes the action's underscores.
        Assert.Contains("own changes overlapping", EvidenceMarkdown.Render(withChange), StringComparison.Ordinal);
        Assert.Contains("LKE cluster ca-prod", EvidenceMarkdown.Render(withChange), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_MaintenanceGoneFromTheStatusPage_KeepsTheOneTheIncidentRecorded()
    {
        var (_, data, options) = await WriteAsync(minutes: 45);
        var builder = new EvidenceBuilder(
            StorageTestData.Store(options), StorageTestData.IncidentStore(options), March12Evidence.StatusPage([]),
            Microsoft.Extensions.Options.Options.Create(options), Catalog(), new FakeTimeProvider(Start.AddDays(3)));

        var report = await builder.BuildAsync(new EvidenceRequest { IncidentId = data.IncidentId }, CancellationToken.None);

        var recorded = Assert.Single(report.Maintenances);
        Assert.Equal("recorded", recorded.Status);
        Assert.Contains(March12Evidence.MaintenanceName, recorded.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_March12Incident_HoldsNoTokenKubeconfigOrConnectionString()
    {
        var (builder, data, options) = await WriteAsync();

        var report = await builder.BuildAsync(new EvidenceRequest { IncidentId = data.IncidentId }, CancellationToken.None);

        var accountKey = azurite.ConnectionString.Split(';').Single(p => p.StartsWith("AccountKey=", StringComparison.Ordinal))["AccountKey=".Length..];
        foreach (var format in Enum.GetValues<EvidenceFormat>())
        {
            var text = EvidenceRenderer.Render(report, format);
            Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
            Assert.DoesNotContain(accountKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(accountKey.Replace("/", "\\/", StringComparison.Ordinal), text, StringComparison.Ordinal);
            Assert.DoesNotContain(options.Storage.ConnectionString!, text, StringComparison.Ordinal);
            Assert.DoesNotContain("AccountKey", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("/secrets/ca-prod.kubeconfig", text, StringComparison.Ordinal);
            Assert.DoesNotContain("client-key-data", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Bearer " + Token[..8], text, StringComparison.Ordinal);
            // The reproduction uses placeholders for what is secret.
            Assert.Contains("$TOKEN", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Render_HostileMessage_IsEncodedInHtmlAndMarkdown()
    {
        var (builder, data, _) = await WriteAsync(minutes: 45);

        var report = await builder.BuildAsync(new EvidenceRequest { IncidentId = data.IncidentId }, CancellationToken.None);
        Assert.Contains(report.FailedAttempts, a => a.Message == March12Evidence.HostileMessage);

        var html = EvidenceHtml.Render(report);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", html, StringComparison.Ordinal);

        var markdown = EvidenceMarkdown.Render(report);
        Assert.DoesNotContain("<script", markdown, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("[click](javascript", markdown, StringComparison.Ordinal);
        // The hostile row keeps the table's eleven cell separators: every pipe of the message is escaped.
        var row = Assert.Single(markdown.Split('\n'), l => l.Contains("alert", StringComparison.Ordinal));
        Assert.Equal(11, UnescapedPipes(row));

        using var json = JsonDocument.Parse(EvidenceJson.Render(report));
        Assert.Contains(json.RootElement.GetProperty("failedAttempts").EnumerateArray(), a => a.GetProperty("message").GetString() == March12Evidence.HostileMessage);
    }

    [Fact]
    public async Task Render_Json_CarriesEveryFailedAttempt_MarkdownFitsATicket()
    {
        var (builder, data, _) = await WriteAsync();
        var report = await builder.BuildAsync(new EvidenceRequest { IncidentId = data.IncidentId }, CancellationToken.None);
        // A long incident: many times the failures of this one.
        var large = report with { FailedAttempts = [.. Enumerable.Range(0, 40).SelectMany(i => report.FailedAttempts.Select(a => a with { At = a.At.AddSeconds(i) }))] };

        using var json = JsonDocument.Parse(EvidenceJson.Render(large));
        Assert.Equal(large.FailedAttempts.Count, json.RootElement.GetProperty("failedAttempts").GetArrayLength());

        var markdown = EvidenceMarkdown.Render(large);
        Assert.InRange(markdown.Length, 10_000, EvidenceMarkdown.MaxCharacters);
        Assert.Contains($"of {large.FailedAttempts.Count} failed attempts", markdown, StringComparison.Ordinal);
        Assert.Contains("--format json", markdown, StringComparison.Ordinal);

        var html = EvidenceHtml.Render(large);
        Assert.Contains($"The first {EvidenceHtml.MaxAttemptRows} of {large.FailedAttempts.Count}", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_Html_IsOneFileWithInlineChartsAndNoExternalAsset()
    {
        var (builder, data, _) = await WriteAsync(minutes: 45);

        var html = EvidenceHtml.Render(await builder.BuildAsync(new EvidenceRequest { IncidentId = data.IncidentId }, CancellationToken.None));

        // Two charts per vantage and the regions' chart, each with a shaded problem window and maintenance.
        Assert.Equal(March12Evidence.Vantages.Length * 2 + 1, CountOf(html, "<svg "));
        Assert.Equal(March12Evidence.Vantages.Length * 2 + 1, CountOf(html, "class=\"band problem\""));
        Assert.Equal(March12Evidence.Vantages.Length * 2 + 1, CountOf(html, "class=\"band maintenance\""));
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=\"http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("@page { size: A4", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_Target_ReadsThatTargetAloneAndFindsItsIncident()
    {
        var (builder, data, _) = await WriteAsync(minutes: 45);

        var report = await builder.BuildAsync(
            new EvidenceRequest { Target = "ca-web", From = data.Start, To = data.Start.AddMinutes(45) }, CancellationToken.None);

        Assert.Equal("target", report.Subject.Kind);
        Assert.Equal(["ca-web"], report.Subject.Targets);
        Assert.All(report.FailedAttempts, a => Assert.Equal("ca-web", a.Target));
        Assert.Equal(data.Results.Count(r => r.Target == "ca-web" && !r.Success), report.FailedAttempts.Count);
        Assert.Equal([data.IncidentId], report.Incidents);
        Assert.NotNull(report.ProblemFrom);
    }

    [Fact]
    public async Task BuildAsync_Region_CoversEveryTargetOfTheRegion()
    {
        var (builder, data, _) = await WriteAsync(minutes: 45);

        var report = await builder.BuildAsync(
            new EvidenceRequest { Region = "us-east", From = data.Start, To = data.Start.AddMinutes(45) }, CancellationToken.None);

        Assert.Equal(["us-prod-api"], report.Subject.Targets);
        Assert.Empty(report.FailedAttempts);
        Assert.Empty(report.Incidents);
        Assert.Contains("nothing to ask the provider", report.Ask, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("provider:nowhere@20260312T140000Z", null, null)]
    [InlineData(null, null, "no-such-target")]
    [InlineData("provider:ca-central@20260312T140400Z", "ca-central", null)]
    [InlineData(null, null, null)]
    public async Task BuildAsync_UnknownOrAmbiguousSubject_ThrowsARequestError(string? incident, string? region, string? target)
    {
        var (builder, _, _) = await WriteAsync(minutes: 2);

        var error = await Assert.ThrowsAsync<EvidenceRequestException>(() =>
            builder.BuildAsync(new EvidenceRequest { IncidentId = incident, Region = region, Target = target }, CancellationToken.None));
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task BuildAsync_ReversedRange_ThrowsARequestError()
    {
        var (builder, data, _) = await WriteAsync(minutes: 2);

        await Assert.ThrowsAsync<EvidenceRequestException>(() =>
            builder.BuildAsync(new EvidenceRequest { Region = "ca-central", From = data.Start.AddMinutes(5), To = data.Start }, CancellationToken.None));
    }

    private static int UnescapedPipes(string line)
    {
        var count = 0;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\')
            {
                i++;
            }
            else if (line[i] == '|')
            {
                count++;
            }
        }

        return count;
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
