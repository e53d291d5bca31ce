using System.Globalization;
using System.Text;
using static Synthetics.Explain.EvidenceText;

namespace Synthetics.Explain;

/// <summary>
/// The report as one self-contained HTML file: styles inline, charts as inline SVG, no script, no external asset (it
/// opens from a ticket's attachment, offline, and prints legibly on A4). Everything that came from a target, a server or
/// the status page is HTML-encoded.
/// </summary>
public static class EvidenceHtml
{
    /// <summary>Failed attempts listed in the page at most; the JSON holds every one.</summary>
    public const int MaxAttemptRows = 500;

    private const string Style = """
        :root { color-scheme: light; }
        body { font: 10.5pt/1.4 "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #111; max-width: 190mm; margin: 16px auto; padding: 0 12px; }
        h1 { font-size: 16pt; margin: 0 0 4px; } h2 { font-size: 12.5pt; margin: 18px 0 6px; border-bottom: 1px solid #999; }
        h3 { font-size: 11pt; margin: 12px 0 4px; } .meta { color: #444; font-size: 9pt; }
        .ask { border-left: 4px solid #D55E00; background: #fff6ef; padding: 8px 12px; }
        table { border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 4px 0; }
        th, td { border: 1px solid #bbb; padding: 2px 5px; text-align: left; vertical-align: top; }
        th { background: #eee; } td.n { text-align: right; white-space: nowrap; } td.t { white-space: nowrap; }
        td.msg { word-break: break-word; } tr.outside td { color: #555; }
        pre { background: #f4f4f4; border: 1px solid #ddd; padding: 6px; font-size: 8pt; white-space: pre-wrap; word-break: break-all; }
        svg.chart { width: 100%; height: auto; display: block; margin: 2px 0 8px; }
        svg .title { font-size: 12px; font-weight: bold; fill: #111; } svg .legend { font-size: 10.5px; fill: #111; }
        svg .axis { font-size: 10px; fill: #333; } svg .grid { stroke: #ddd; stroke-width: 1; } svg .tick { stroke: #666; }
        svg .frame { fill: none; stroke: #888; } svg .band.problem { fill: #D55E00; fill-opacity: 0.13; }
        svg .band.maintenance { fill: #0072B2; fill-opacity: 0.12; } svg .band-label { font-size: 9.5px; fill: #333; }
        .figure { break-inside: avoid; page-break-inside: avoid; } .note { font-size: 9pt; color: #444; }
        @page { size: A4; margin: 12mm; }
        @media print { body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; } h2 { break-after: avoid; } thead { display: table-header-group; } tr { break-inside: avoid; } }
        """;

    public static string Render(EvidenceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var s = report.Subject;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append(CultureInfo.InvariantCulture, $"<title>{Html(report.Title)}</title><style>{Style}</style></head><body>\n");
        html.Append(CultureInfo.InvariantCulture, $"<h1>{Html(report.Title)}</h1>\n<p class=\"meta\">Generated {Utc(report.GeneratedAt)} by LKE Synthetics {Html(report.ProductVersion)}. " +
            $"Window read: {Utc(report.From)} to {Utc(report.To)}. All times UTC.</p>\n");
        html.Append("<h2>What we ask</h2>\n<p class=\"ask\">").Append(Html(report.Ask)).Append("</p>\n");

        html.Append("<h2>What, where, when</h2>\n<table><tbody>\n");
        Row(html, "Subject", s.IncidentId is { } id ? $"incident {id}" : s.Kind);
        Row(html, "Scope", s.Scope + (s.Severity is { } sev ? $", severity {sev}" : "") + (s.State is { } st ? $", {st}" : ""));
        Row(html, "Region", s.Region);
        Row(html, "Targets", string.Join(", ", s.Targets));
        Row(html, "Vantages", string.Join(", ", s.Vantages) + (report.Vantages.Count > s.Vantages.Count ? $" (of {string.Join(", ", report.Vantages)})" : ""));
        if (s.Summary is { Length: > 0 } summary)
        {
            Row(html, "Detector", summary);
        }

        Row(html, "First seen", Utc(s.FirstSeenAt));
        Row(html, "Opened", Utc(s.OpenedAt));
        Row(html, "Resolved", s.OpenedAt is null ? "–" : s.ResolvedAt is { } resolved ? Utc(resolved) : "still open");
        Row(html, "Problem window", report.ProblemFrom is { } pf ? $"{Utc(pf)} to {Utc(report.ProblemTo)}" : "no incident in this window");
        Row(html, "Failed attempts", $"{report.FailedAttempts.Count} of {report.Attempts} runs ({string.Join(", ", report.FailuresByOutcome.Select(o => $"{o.Key} {o.Value}"))})");
        if (report.Incidents.Count > 0)
        {
            Row(html, "Incidents", string.Join(", ", report.Incidents));
        }

        html.Append("</tbody></table>\n");
        Maintenances(html, report);

        var bands = Bands(report);
        // The charts start where the store's data does (a monitor deployed during the window read has nothing before).
        var chartFrom = report.Regions.SelectMany(r => r.Minutes).Select(m => m.Minute).DefaultIfEmpty(report.From).Min();
        chartFrom = chartFrom > report.From ? chartFrom.AddMinutes(-1) : report.From;
        html.Append("<h2>Healthy regions beside it</h2>\n<div class=\"figure\">");
        html.Append(EvidenceCharts.Shares(
            "Failed share per minute, every vantage pooled, by region",
            chartFrom,
            report.To,
            [.. report.Regions.Select(r => new EvidenceCharts.Series(r.Region, [.. r.Minutes.Select(m => (m.Minute, m.FailureShare))]))],
            bands));
        html.Append("</div>\n<table><thead><tr><th>region</th><th>targets</th><th>runs</th><th>failed</th><th>share</th></tr></thead><tbody>\n");
        foreach (var r in report.Regions)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{Html(r.Region)}{(r == report.Regions[0] ? " (this report)" : "")}</td><td>{Html(string.Join(", ", r.Targets))}</td><td class=\"n\">{r.Attempts}</td><td class=\"n\">{r.Failures}</td><td class=\"n\">{Share(r.Failures, r.Attempts)}</td></tr>\n");
        }

        html.Append("</tbody></table>\n");
        Baselines(html, report);

        html.Append("<h2>Minute by minute, per vantage</h2>\n<p class=\"note\">Failed share of every probe run that started in the minute, and the 90th percentile latency of the successful short probes " +
            "(the canary's Lease hold and the watch are left out of latency: their duration is a hold time). Shaded: the problem window (orange) and the provider's maintenance (blue).</p>\n");
        foreach (var timeline in report.Timelines)
        {
            var series = report.Subject.Targets.Select(t => timeline.Minutes.Where(m => m.Target == t).ToList()).ToList();
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"figure\"><h3>From {Html(timeline.Vantage)}</h3>");
            html.Append(EvidenceCharts.Shares(
                $"{timeline.Vantage}: failed share per minute",
                chartFrom,
                report.To,
                [.. report.Subject.Targets.Select((t, i) => new EvidenceCharts.Series(t, [.. series[i].Select(m => (m.Minute, m.FailureShare))]))],
                bands));
            html.Append(EvidenceCharts.Latencies(
                $"{timeline.Vantage}: p90 latency per minute (successful short probes)",
                chartFrom,
                report.To,
                [.. report.Subject.Targets.Select((t, i) => new EvidenceCharts.Series(t, [.. series[i].Where(m => m.P90Ms is not null).Select(m => (m.Minute, m.P90Ms!.Value))]))],
                bands));
            html.Append("</div>\n");
        }

        Monitor(html, report);
        Attempts(html, report);
        html.Append("<h2>How to reproduce one probe by hand</h2>\n");
        foreach (var r in report.Reproductions)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p><b>{Html(r.Target)}</b>: {Html(r.What)}</p><pre>{Html(r.Command)}</pre>\n");
        }

        html.Append("<p class=\"note\"><code>$TOKEN</code>, <code>cluster-ca.crt</code> and <code>YOUR_KUBECONFIG</code> are yours to fill in: the report holds no credential. " +
            "The JSON form of this report (<code>--format json</code>) holds every figure and every failed attempt.</p>\n</body></html>\n");
        return html.ToString();
    }

    private static List<EvidenceCharts.Band> Bands(EvidenceReport report)
    {
        var bands = new List<EvidenceCharts.Band>();
        foreach (var m in report.Maintenances.Where(m => m.ScheduledFor is not null))
        {
            var end = m.ResolvedAt ?? m.ScheduledUntil ?? report.To;
            bands.Add(new EvidenceCharts.Band(m.ScheduledFor!.Value, end, "maintenance", $"maintenance: {m.Name}"));
        }

        if (report.ProblemFrom is { } from)
        {
            bands.Add(new EvidenceCharts.Band(from, report.ProblemTo ?? report.To, "problem", report.Subject.IncidentId is { } id ? $"incident {id}" : "incident"));
        }

        return bands;
    }

    private static void Maintenances(StringBuilder html, EvidenceReport report)
    {
        html.Append("<h2>Provider maintenance overlapping</h2>\n");
        if (report.Maintenances.Count == 0)
        {
            html.Append("<p>None on the status page for this region and window.</p>\n");
            return;
        }

        html.Append("<ul>\n");
        foreach (var m in report.Maintenances)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<li><b>{Html(m.Name)}</b> ({Html(m.Status)}{(m.ScheduledFor is { } f ? $", scheduled {Utc(f)}" : "")}{(m.ScheduledUntil is { } u ? $" to {Utc(u)}" : "")}" +
                $"{(m.ResolvedAt is { } done ? $", completed {Utc(done)}" : "")}){(m.Components.Count > 0 ? $": {Html(string.Join(", ", m.Components))}" : "")}" +
                $"{(m.Link is { } link ? $" <span class=\"note\">{Html(link)}</span>" : "")}</li>\n");
        }

        html.Append("</ul>\n");
        CustomerChanges(html, report);
    }

    private static void CustomerChanges(StringBuilder html, EvidenceReport report)
    {
        if (report.CustomerChanges.Count == 0)
        {
            return;
        }

        html.Append("<h2>The account's own changes overlapping</h2>\n<ul>\n");
        foreach (var change in report.CustomerChanges)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li>{Html(change)}</li>\n");
        }

        html.Append("</ul>\n");
    }

    private static void Baselines(StringBuilder html, EvidenceReport report)
    {
        html.Append("<h2>The targets' own baseline</h2>\n<p class=\"note\">Each target from each vantage, before the problem window and inside it.</p>\n")
            .Append("<table><thead><tr><th>target</th><th>vantage</th><th>runs before</th><th>failed before</th><th>p50 / p90 before</th><th>runs during</th><th>failed during</th><th>p50 / p90 during</th></tr></thead><tbody>\n");
        foreach (var b in report.Baselines)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{Html(b.Target)}</td><td>{Html(b.Vantage)}</td><td class=\"n\">{b.Before.Attempts}</td><td class=\"n\">{Share(b.Before.Failures, b.Before.Attempts)}</td>" +
                $"<td class=\"n\">{Ms(b.Before.P50Ms)} / {Ms(b.Before.P90Ms)}</td><td class=\"n\">{b.During.Attempts}</td><td class=\"n\">{Share(b.During.Failures, b.During.Attempts)}</td>" +
                $"<td class=\"n\">{Ms(b.During.P50Ms)} / {Ms(b.During.P90Ms)}</td></tr>\n");
        }

        html.Append("</tbody></table>\n");
    }

    private static void Monitor(StringBuilder html, EvidenceReport report)
    {
        html.Append("<h2>The monitor's own health</h2>\n<p class=\"note\">Each vantage's probe cycles over the window: a vantage that paused or ran long would show here, so its figures are not blamed on the provider.</p>\n")
            .Append("<table><thead><tr><th>vantage</th><th>cycles</th><th>first / last</th><th>median duration</th><th>longest</th><th>usual gap</th><th>longest gap</th><th>steady</th></tr></thead><tbody>\n");
        foreach (var m in report.Monitor)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{Html(m.Vantage)}</td><td class=\"n\">{m.Cycles}</td><td class=\"t\">{Clock(m.FirstCycleAt)} / {Clock(m.LastCycleAt)}</td><td class=\"n\">{Number(m.MedianDurationSeconds)} s</td>" +
                $"<td class=\"n\">{Number(m.MaxDurationSeconds)} s</td><td class=\"n\">{Seconds(m.MedianGapSeconds)}</td><td class=\"n\">{Seconds(m.LongestGapSeconds)}</td><td>{(m.Steady ? "yes" : "<b>no</b>")}</td></tr>\n");
        }

        html.Append("</tbody></table>\n");
    }

    private static void Attempts(StringBuilder html, EvidenceReport report)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h2>Every failed attempt ({report.FailedAttempts.Count})</h2>\n");
        if (report.FailedAttempts.Count > MaxAttemptRows)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<p class=\"note\">The first {MaxAttemptRows} of {report.FailedAttempts.Count}; the JSON form of this report holds all {report.FailedAttempts.Count}.</p>\n");
        }

        html.Append("<table><thead><tr><th>UTC</th><th>vantage</th><th>target</th><th>probe</th><th>remote</th><th>phase</th><th>outcome</th><th>ms</th><th>Audit-ID</th><th>message</th></tr></thead><tbody>\n");
        foreach (var a in report.FailedAttempts.Take(MaxAttemptRows))
        {
            var audit = a.AuditId is { } id ? Html(id) + (a.AuditIdEchoed is { } echoed ? echoed ? " (echoed)" : " (not echoed)" : "") : "";
            html.Append(CultureInfo.InvariantCulture,
                $"<tr{(a.InProblemWindow ? "" : " class=\"outside\"")}><td class=\"t\">{Second(a.At)}</td><td>{Html(a.Vantage)}</td><td>{Html(a.Target)}</td><td>{Html(a.Probe)}</td>" +
                $"<td>{Html(a.RemoteAddress)}</td><td>{Html(a.Phase)}</td><td>{Html(a.Outcome)}{(a.StatusCode is { } code ? $" {code}" : "")}</td><td class=\"n\">{Number(a.DurationMs, "0")}</td>" +
                $"<td>{audit}</td><td class=\"msg\">{Html(a.Message)}</td></tr>\n");
        }

        html.Append("</tbody></table>\n");
    }

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append(CultureInfo.InvariantCulture, $"<tr><th>{Html(name)}</th><td>{Html(value)}</td></tr>\n");

    private static string Seconds(double? value) => value is { } v ? $"{Number(v, "0")} s" : "–";
}
