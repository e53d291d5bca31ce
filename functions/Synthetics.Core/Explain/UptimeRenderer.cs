using System.Globalization;
using System.Text;
using System.Text.Json;
using static Synthetics.Explain.EvidenceText;

namespace Synthetics.Explain;

/// <summary>Writes an <see cref="UptimeReport"/> as HTML (one self-contained file), Markdown or JSON.</summary>
public static class UptimeRenderer
{
    public static string Render(UptimeReport report, EvidenceFormat format)
    {
        ArgumentNullException.ThrowIfNull(report);
        return format switch
        {
            EvidenceFormat.Json => JsonSerializer.Serialize(report, EvidenceJson.Options),
            EvidenceFormat.Markdown => Markdown(report),
            _ => Html(report),
        };
    }

    /// <summary>The SLA comparison in words, for both text formats.</summary>
    private static string Terms(UptimeReport report) => string.Create(CultureInfo.InvariantCulture,
        $"{report.Sla.Name}: {Percent(report.Sla.UptimeGuarantee)} monthly uptime, that is at most {report.Sla.AllowedDowntimeMinutes(report.MinutesInMonth):0.#} minutes of downtime in " +
        $"{report.Month} ({report.MinutesInMonth:0} minutes); disruption during a maintenance announced at least {report.Sla.MaintenanceNotice.TotalHours:0} hours ahead is exempt. " +
        $"Disruption is the detector's provider-side incidents, from first seen to resolved; downtime is the part of it the target was down. Source: {report.Sla.Source}");

    private static string Markdown(UptimeReport report)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# {Md(report.Title)}\n\nGenerated {Utc(report.GeneratedAt)}; measured {Utc(report.From)} to {Utc(report.To)}.\n\n");
        md.Append(Md(Terms(report))).Append("\n\n## Per cluster and NodeBalancer\n\n")
          .Append("| target | kind | region | availability (all vantages) | per vantage | disruption min | exempt min | counted min | down min | SLA uptime | meets SLA |\n")
          .Append("|---|---|---|---:|---|---:|---:|---:|---:|---:|---|\n");
        foreach (var t in report.Targets)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| {Md(t.Target)} | {t.Kind} | {Md(t.Region)} | {Percent(t.Pooled.Availability)} of {t.Pooled.Runs} runs | {Md(PerVantage(t))} | {t.DisruptionMinutes:0.#} | {t.ExemptMinutes:0.#} | " +
                $"{t.CountedDisruptionMinutes:0.#} | {t.DownMinutes:0.#} | {Percent(t.SlaUptime)} | {(t.MeetsSla ? "yes" : "**no**")} |\n");
        }

        md.Append("\n## Incidents\n\n| incident | scope | region | targets | state | first seen | resolved | minutes | exempt |\n|---|---|---|---|---|---|---|---:|---:|\n");
        foreach (var i in report.Incidents)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| {Md(i.Id)} | {i.Scope} | {Md(i.Region)} | {Md(string.Join(", ", i.Targets))} | {i.State} | {Utc(i.FirstSeenAt)} | {(i.ResolvedAt is { } r ? Utc(r) : "open")} | {i.Minutes:0.#} | {i.ExemptMinutes:0.#} |\n");
        }

        md.Append("\n## Provider maintenance\n\n| maintenance | regions | announced | window | SLA |\n|---|---|---|---|---|\n");
        foreach (var m in report.Maintenances)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| {Md(m.Name)} | {Md(string.Join(", ", m.Regions))} | {Utc(m.AnnouncedAt)} | {Utc(m.From)} to {Utc(m.To)} | {Md(m.Why)} |\n");
        }

        return md.ToString();
    }

    private static string Html(UptimeReport report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append(CultureInfo.InvariantCulture, $"<title>{EvidenceText.Html(report.Title)}</title><style>")
            .Append("body{font:10.5pt/1.4 \"DejaVu Sans\",Arial,sans-serif;max-width:190mm;margin:16px auto;padding:0 12px}table{border-collapse:collapse;width:100%;font-size:8.5pt}")
            .Append("th,td{border:1px solid #bbb;padding:2px 5px;text-align:left;vertical-align:top}th{background:#eee}td.n{text-align:right}.no{color:#b00;font-weight:bold}")
            .Append("@page{size:A4;margin:12mm}@media print{body{max-width:none;margin:0;padding:0}}</style></head><body>\n");
        html.Append(CultureInfo.InvariantCulture, $"<h1>{EvidenceText.Html(report.Title)}</h1><p>Generated {Utc(report.GeneratedAt)}; measured {Utc(report.From)} to {Utc(report.To)}.</p>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p>{EvidenceText.Html(Terms(report))}</p>\n<h2>Per cluster and NodeBalancer</h2>\n<table><thead><tr>")
            .Append("<th>target</th><th>kind</th><th>region</th><th>availability (all vantages)</th><th>per vantage</th><th>disruption min</th><th>exempt min</th><th>counted min</th><th>down min</th><th>SLA uptime</th><th>meets SLA</th></tr></thead><tbody>\n");
        foreach (var t in report.Targets)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{EvidenceText.Html(t.Target)}</td><td>{t.Kind}</td><td>{EvidenceText.Html(t.Region)}</td><td class=\"n\">{Percent(t.Pooled.Availability)} of {t.Pooled.Runs}</td>" +
                $"<td>{EvidenceText.Html(PerVantage(t))}</td><td class=\"n\">{t.DisruptionMinutes:0.#}</td><td class=\"n\">{t.ExemptMinutes:0.#}</td><td class=\"n\">{t.CountedDisruptionMinutes:0.#}</td>" +
                $"<td class=\"n\">{t.DownMinutes:0.#}</td><td class=\"n\">{Percent(t.SlaUptime)}</td><td>{(t.MeetsSla ? "yes" : "<span class=\"no\">no</span>")}</td></tr>\n");
        }

        html.Append("</tbody></table>\n<h2>Incidents</h2>\n<table><thead><tr><th>incident</th><th>scope</th><th>region</th><th>targets</th><th>state</th><th>first seen</th><th>resolved</th><th>minutes</th><th>exempt</th></tr></thead><tbody>\n");
        foreach (var i in report.Incidents)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{EvidenceText.Html(i.Id)}</td><td>{i.Scope}</td><td>{EvidenceText.Html(i.Region)}</td><td>{EvidenceText.Html(string.Join(", ", i.Targets))}</td><td>{i.State}</td>" +
                $"<td>{Utc(i.FirstSeenAt)}</td><td>{(i.ResolvedAt is { } r ? Utc(r) : "open")}</td><td class=\"n\">{i.Minutes:0.#}</td><td class=\"n\">{i.ExemptMinutes:0.#}</td></tr>\n");
        }

        html.Append("</tbody></table>\n<h2>Provider maintenance</h2>\n<table><thead><tr><th>maintenance</th><th>regions</th><th>announced</th><th>window</th><th>SLA</th></tr></thead><tbody>\n");
        foreach (var m in report.Maintenances)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{EvidenceText.Html(m.Name)}</td><td>{EvidenceText.Html(string.Join(", ", m.Regions))}</td><td>{Utc(m.AnnouncedAt)}</td><td>{Utc(m.From)} to {Utc(m.To)}</td><td>{EvidenceText.Html(m.Why)}</td></tr>\n");
        }

        html.Append("</tbody></table>\n</body></html>\n");
        return html.ToString();
    }

    private static string PerVantage(TargetUptime target) =>
        string.Join(", ", target.Vantages.Select(v => $"{v.Vantage} {Percent(v.Availability)}"));

    private static string Percent(double share) => share.ToString("0.###%", CultureInfo.InvariantCulture);
}
