using Microsoft.Extensions.Time.Testing;
using Synthetics.Core.Tests.Storage;
using Synthetics.Core.Tests.Support;
using Synthetics.Detection;
using Synthetics.Explain;
using Synthetics.Maintenance;
using Synthetics.Targets;

namespace Synthetics.Core.Tests.Explain;

/// <summary>The monthly uptime report over a lab month with one March-12-shaped incident written to Azurite.</summary>
public sealed class UptimeBuilderTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 3, 12, 13, 30, 0, TimeSpan.Zero);
    private static readonly DateOnly March = new(2026, 3, 1);
    private const double MinutesInMarch = 31 * 24 * 60;

    private async Task<(March12Evidence Data, Func<IReadOnlyList<MaintenanceWindow>, UptimeBuilder> Builder, TableIncidentStateStore Incidents)> WriteAsync(
        int minutes = 60, TimeSpan? onset = null, TimeSpan? fault = null)
    {
        var options = StorageTestData.Options(azurite.ConnectionString);
        options.Targets = [.. March12Evidence.Targets.Select(t => new TargetOptions { Name = t.Name, Kind = t.Kind, Region = t.Region })];
        var store = StorageTestData.Store(options);
        var incidents = StorageTestData.IncidentStore(options);
        var data = await March12Evidence.WriteAsync(store, incidents, Start, minutes, onset, fault);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 4, 2, 0, 0, 0, TimeSpan.Zero));
        return (data, windows => new UptimeBuilder(store, incidents, March12Evidence.StatusPage(windows), March12Evidence.CatalogSource("uptime-token"), time), incidents);
    }

    [Fact]
    public async Task Build_MonthWithOneIncident_CountsItsDisruptionMinutes_AndExemptsTheMaintenanceAnnouncedADayAhead()
    {
        var (data, builder, _) = await WriteAsync();
        var announced = data.Maintenances[0] with { AnnouncedAt = data.Maintenances[0].ScheduledFor!.Value.AddDays(-3) };

        var report = await builder([announced]).BuildAsync(March, CancellationToken.None);

        Assert.Equal("2026-03", report.Month);
        Assert.Equal(MinutesInMarch, report.MinutesInMonth);
        Assert.Equal(0.999, report.Sla.UptimeGuarantee);
        var incident = Assert.Single(report.Incidents);
        Assert.Equal(data.IncidentId, incident.Id);
        // First seen (onset + 3 min) to resolved (faults' end + 5 min): 12 minutes; the maintenance ran from 2 minutes
        // before the onset to a minute after the faults: 8 of them fall inside it.
        Assert.Equal(12, incident.Minutes, precision: 6);
        Assert.Equal(8, incident.ExemptMinutes, precision: 6);
        var maintenance = Assert.Single(report.Maintenances);
        Assert.True(maintenance.Exempt);
        Assert.Contains("announced 72 h ahead", maintenance.Why, StringComparison.Ordinal);

        foreach (var name in new[] { "ca-prod-api", "ca-web", "ca-web-tcp" })
        {
            var target = report.Targets.Single(t => t.Target == name);
            Assert.Equal(12, target.DisruptionMinutes, precision: 6);
            Assert.Equal(8, target.ExemptMinutes, precision: 6);
            Assert.Equal(4, target.CountedDisruptionMinutes, precision: 6);
            Assert.Equal(0, target.DownMinutes);
            Assert.Equal(1, target.SlaUptime);
            Assert.Equal(1 - (4 / MinutesInMarch), target.UndisruptedShare, precision: 9);
            Assert.True(target.MeetsSla);
            Assert.Equal([data.IncidentId], target.Incidents);
            Assert.Equal(data.Results.Count(r => r.Target == name), target.Pooled.Runs);
            Assert.Equal(data.Results.Count(r => r.Target == name && !r.Success), target.Pooled.Failed);
            Assert.Equal(March12Evidence.Vantages, target.Vantages.Select(v => v.Vantage));
            Assert.Equal(60, target.Pooled.MinutesMeasured);
        }

        var usEast = report.Targets.Single(t => t.Target == "us-prod-api");
        Assert.Equal("cluster", usEast.Kind);
        Assert.Equal(0, usEast.DisruptionMinutes);
        Assert.Equal(1, usEast.Pooled.Availability);
        Assert.Equal("nodebalancer", report.Targets.Single(t => t.Target == "ca-web").Kind);
    }

    [Fact]
    public async Task Build_MaintenanceAnnouncedAnHourAhead_IsNotExempt()
    {
        var (data, builder, _) = await WriteAsync();
        var late = data.Maintenances[0] with { AnnouncedAt = data.Maintenances[0].ScheduledFor!.Value.AddHours(-1) };

        var report = await builder([late]).BuildAsync(March, CancellationToken.None);

        Assert.False(Assert.Single(report.Maintenances).Exempt);
        Assert.Contains("not exempt: announced 1 h ahead", report.Maintenances[0].Why, StringComparison.Ordinal);
        var web = report.Targets.Single(t => t.Target == "ca-web");
        Assert.Equal(0, web.ExemptMinutes);
        Assert.Equal(12, web.CountedDisruptionMinutes, precision: 6);
    }

    [Fact]
    public async Task Build_HourLongDownIncidentWithoutNotice_MissesTheSla()
    {
        var (data, builder, incidents) = await WriteAsync(minutes: 90, onset: TimeSpan.FromMinutes(15), fault: TimeSpan.FromMinutes(60));
        var history = await incidents.HistoryAsync(DateTimeOffset.MinValue, CancellationToken.None);
        var regional = history.First(e => e.Kind == IncidentEventKind.Updated).Incident;
        await incidents.RecordAsync(new IncidentEvent(IncidentEventKind.Updated, regional with { State = HealthState.Down }, data.FirstSeenAt.AddMinutes(10)), CancellationToken.None);

        var report = await builder(data.Maintenances).BuildAsync(March, CancellationToken.None);

        var api = report.Targets.Single(t => t.Target == "ca-prod-api");
        // 3 minutes after the onset to 5 after the hour of faults: 62 minutes down, more than the 44.6 the SLA allows.
        Assert.Equal(62, api.DownMinutes, precision: 6);
        Assert.False(api.MeetsSla);
        Assert.Equal(1 - (62 / MinutesInMarch), api.SlaUptime, precision: 9);
        Assert.Equal("down", Assert.Single(report.Incidents).State);
        Assert.Contains("not exempt: when it was announced is unknown", Assert.Single(report.Maintenances).Why, StringComparison.Ordinal);

        var markdown = UptimeRenderer.Render(report, EvidenceFormat.Markdown);
        Assert.Contains("| **no** |", markdown, StringComparison.Ordinal);
        Assert.Contains("44.6 minutes of downtime", markdown, StringComparison.Ordinal);
        Assert.Contains("<span class=\"no\">no</span>", UptimeRenderer.Render(report, EvidenceFormat.Html), StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(UptimeRenderer.Render(report, EvidenceFormat.Json));
        Assert.Equal(4, json.RootElement.GetProperty("targets").GetArrayLength());
    }

    [Fact]
    public async Task Build_MonthNotStarted_ThrowsARequestError()
    {
        var (_, builder, _) = await WriteAsync(minutes: 2);

        await Assert.ThrowsAsync<EvidenceRequestException>(() => builder([]).BuildAsync(new DateOnly(2026, 5, 1), CancellationToken.None));
    }
}
