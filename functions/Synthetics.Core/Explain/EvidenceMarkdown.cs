using System.Globalization;
using System.Text;
using static Synthetics.Explain.EvidenceText;

namespace Synthetics.Explain;

/// <summary>
/// The report as Markdown for a support ticket's description, which holds at most <see cref="MaxCharacters"/>
/// characters: the ask and the figures first, then the minutes that matter per vantage, then as many failed attempts as
/// fit (at most <see cref="MaxAttemptRows"/>), with a note of how many more the JSON report holds.
/// </summary>
public static class EvidenceMarkdown
{
    /// <summary>A Linode support ticket's description limit.</summary>
    public const int MaxCharacters = 65_000;

    /// <summary>Failed attempts listed at most; the JSON holds every one.</summary>
    public const int MaxAttemptRows = 300;

    /// <summary>Timeline rows at most per vantage (the minutes with a failure or inside the problem window come first).</summary>
    public const int MaxMinuteRows = 90;

    // Room kept for the truncation notes and the closing line.
    private const int Reserve = 600;

    public static string Render(EvidenceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var head = Head(report);
        var tail = Tail(report);
        var timeline = Timeline(report);
        var budget = MaxCharacters - Reserve - head.Length - tail.Length;
        if (timeline.Length > budget / 2)
        {
            timeline = Cut(timeline, budget / 2, "_The timeline is cut here to fit a ticket; the HTML and JSON reports hold every minute._\n\n");
        }

        var attempts = Attempts(report, budget - timeline.Length);
        var text = string.Concat(head, timeline, attempts, tail);
        // The sections above are budgeted; this only guards against a head larger than any real report has.
        return text.Length <= MaxCharacters
            ? text
            : Cut(text, MaxCharacters - 200, "\n\n_Cut to fit a ticket's 65,000 characters; the JSON report holds everything._\n");
    }

    private static string Head(EvidenceReport report)
    {
        var s = report.Subject;
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# {Md(report.Title)}\n\n");
        md.Append(CultureInfo.InvariantCulture,
            $"Generated {Utc(report.GeneratedAt)} by LKE Synthetics {Md(report.ProductVersion)}. Window read: {Utc(report.From)} to {Utc(report.To)}. All times UTC.\n\n");
        md.Append("## What we ask\n\n").Append(Md(report.Ask)).Append("\n\n");
        md.Append("## What, where, when\n\n| | |\n|---|---|\n");
        Row(md, "Subject", s.IncidentId is { } id ? $"incident {Md(id)}" : Md(s.Kind));
        Row(md, "Scope", Md(s.Scope) + (s.Severity is { } sev ? $", severity {sev}" : "") + (s.State is { } st ? $", {Md(st)}" : ""));
        Row(md, "Region", Md(s.Region));
        Row(md, "Targets", Md(string.Join(", ", s.Targets)));
        Row(md, "Vantages", Md(string.Join(", ", s.Vantages)) + (report.Vantages.Count > s.Vantages.Count ? $" (of {Md(string.Join(", ", report.Vantages))})" : ""));
        if (s.Summary is { Length: > 0 } summary)
        {
            Row(md, "Detector", Md(summary));
        }

        Row(md, "First seen", Utc(s.FirstSeenAt));
        Row(md, "Opened", Utc(s.OpenedAt));
        Row(md, "Resolved", s.OpenedAt is null ? "–" : s.ResolvedAt is { } resolved ? Utc(resolved) : "still open");
        Row(md, "Problem window", report.ProblemFrom is { } pf ? $"{Utc(pf)} to {Utc(report.ProblemTo)}" : "no incident in this window");
        Row(md, "Failed attempts", $"{report.FailedAttempts.Count} of {report.Attempts} runs ({Md(string.Join(", ", report.FailuresByOutcome.Select(o => $"{o.Key} {o.Value}")))})");
        if (report.Incidents.Count > 0)
        {
            Row(md, "Incidents", Md(string.Join(", ", report.Incidents)));
        }

        md.Append("\n## Provider maintenance overlapping\n\n");
        if (report.Maintenances.Count == 0)
        {
            md.Append("None on the status page for this region and window.\n\n");
        }

        foreach (var m in report.Maintenances)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"- **{Md(m.Name)}** ({Md(m.Status)}{(m.ScheduledFor is { } f ? $", scheduled {Utc(f)}" : "")}{(m.ScheduledUntil is { } u ? $" to {Utc(u)}" : "")}" +
                $"{(m.ResolvedAt is { } done ? $", completed {Utc(done)}" : "")}){(m.Components.Count > 0 ? $": {Md(string.Join(", ", m.Components))}" : "")}" +
                $"{(m.Link is { } link ? $" {Md(link)}" : "")}\n");
        }

        if (report.CustomerChanges.Count > 0)
        {
            md.Append("\n## The account's own changes overlapping\n\n");
            foreach (var change in report.CustomerChanges)
            {
                md.Append(CultureInfo.InvariantCulture, $"- {Md(change)}\n");
            }
        }

        md.Append("\n## Healthy regions beside it (every vantage pooled)\n\n| region | targets | runs | failed | share |\n|---|---|---:|---:|---:|\n");
        foreach (var r in report.Regions)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| {Md(r.Region)}{(r == report.Regions[0] ? " (this report)" : "")} | {Md(string.Join(", ", r.Targets))} | {r.Attempts} | {r.Failures} | {Share(r.Failures, r.Attempts)} |\n");
        }

        md.Append("\n## The targets' own baseline (before the problem window, and during it)\n\n")
          .Append("| target | vantage | runs before | failed before | p50 / p90 before | runs during | failed during | p50 / p90 during |\n|---|---|---:|---:|---|---:|---:|---|\n");
        foreach (var b in report.Baselines)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| {Md(b.Target)} | {Md(b.Vantage)} | {b.Before.Attempts} | {Share(b.Before.Failures, b.Before.Attempts)} | {Ms(b.Before.P50Ms)} / {Ms(b.Before.P90Ms)} " +
                $"| {b.During.Attempts} | {Share(b.During.Failures, b.During.Attempts)} | {Ms(b.During.P50Ms)} / {Ms(b.During.P90Ms)} |\n");
        }

        md.Append("\n## The monitor's own health (each vantage's probe cycles)\n\n")
          .Append("| vantage | cycles | median duration | longest | usual gap | longest gap | steady |\n|---|---:|---:|---:|---:|---:|---|\n");
        foreach (var m in report.Monitor)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| {Md(m.Vantage)} | {m.Cycles} | {Number(m.MedianDurationSeconds)} s | {Number(m.MaxDurationSeconds)} s | {Seconds(m.MedianGapSeconds)} | {Seconds(m.LongestGapSeconds)} | {(m.Steady ? "yes" : "**no**")} |\n");
        }

        md.Append('\n');
        return md.ToString();
    }

    private static string Timeline(EvidenceReport report)
    {
        var md = new StringBuilder("## Minute by minute, per vantage (failed share / p90 latency of successful short probes)\n\n");
        var targets = report.Subject.Targets;
        foreach (var timeline in report.Timelines)
        {
            md.Append(CultureInfo.InvariantCulture, $"### {Md(timeline.Vantage)}\n\n| minute | {string.Join(" | ", targets.Select(Md))} |\n|---|{string.Concat(targets.Select(_ => "---|"))}\n");
            var byMinute = timeline.Minutes.GroupBy(m => m.Minute).OrderBy(g => g.Key).ToList();
            // The minutes that matter first: any failure, or inside the problem window; then the rest in order, as room allows.
            var chosen = byMinute
                .Where(g => g.Any(m => m.Failures > 0) || InProblem(report, g.Key))
                .Concat(byMinute)
                .Distinct()
                .Take(MaxMinuteRows)
                .OrderBy(g => g.Key)
                .ToList();
            foreach (var minute in chosen)
            {
                var cells = targets.Select(t => minute.FirstOrDefault(m => m.Target == t) is { } m ? $"{Share(m.Failures, m.Attempts)} / {Ms(m.P90Ms)}" : "–");
                md.Append(CultureInfo.InvariantCulture, $"| {Clock(minute.Key)}{(InProblem(report, minute.Key) ? " \\*" : "")} | {string.Join(" | ", cells)} |\n");
            }

            if (chosen.Count < byMinute.Count)
            {
                md.Append(CultureInfo.InvariantCulture, $"\n_{byMinute.Count - chosen.Count} quiet minutes left out; the HTML and JSON reports hold them._\n");
            }

            md.Append('\n');
        }

        md.Append("\\* inside the problem window.\n\n");
        return md.ToString();
    }

    private static string Attempts(EvidenceReport report, int budget)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"## Every failed attempt ({report.FailedAttempts.Count})\n\n");
        const string Header = "| UTC | vantage | target | probe | remote | phase | outcome | ms | Audit-ID | message |\n|---|---|---|---|---|---|---|---:|---|---|\n";
        md.Append(Header);
        var shown = 0;
        foreach (var a in report.FailedAttempts)
        {
            var audit = a.AuditId is { } id ? $"{Md(id)}{(a.AuditIdEchoed is { } echoed ? echoed ? " (echoed)" : " (not echoed)" : "")}" : "";
            var row = string.Create(CultureInfo.InvariantCulture,
                $"| {Second(a.At)} | {Md(a.Vantage)} | {Md(a.Target)} | {Md(a.Probe)} | {Md(a.RemoteAddress)} | {Md(a.Phase)} | {Md(a.Outcome)}{(a.StatusCode is { } code ? $" {code}" : "")} | {Number(a.DurationMs, "0")} | {audit} | {Md(Shorten(a.Message, 160))} |\n");
            if (shown >= MaxAttemptRows || md.Length + row.Length > budget)
            {
                break;
            }

            md.Append(row);
            shown++;
        }

        if (shown < report.FailedAttempts.Count)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"\n_Showing the first {shown} of {report.FailedAttempts.Count} failed attempts to fit a ticket; the JSON report (`--format json`) holds all {report.FailedAttempts.Count}._\n");
        }

        md.Append('\n');
        return md.ToString();
    }

    private static string Tail(EvidenceReport report)
    {
        var md = new StringBuilder("## How to reproduce one probe by hand\n\n");
        foreach (var r in report.Reproductions)
        {
            md.Append(CultureInfo.InvariantCulture, $"**{Md(r.Target)}**: {Md(r.What)}\n\n").Append(MdCode(r.Command)).Append('\n');
        }

        md.Append("`$TOKEN`, `cluster-ca.crt` and `YOUR_KUBECONFIG` are yours to fill in: the report holds no credential.\n");
        return md.ToString();
    }

    private static bool InProblem(EvidenceReport report, DateTimeOffset minute) =>
        report.ProblemFrom is { } from && minute.AddMinutes(1) > from && minute <= (report.ProblemTo ?? DateTimeOffset.MaxValue);

    private static string Seconds(double? value) => value is { } v ? $"{Number(v, "0")} s" : "–";

    private static string Shorten(string? text, int max) => text is { Length: > 0 } t && t.Length > max ? t[..(max - 1)] + "…" : text ?? "";

    private static void Row(StringBuilder md, string name, string value) => md.Append(CultureInfo.InvariantCulture, $"| {name} | {value} |\n");

    private static string Cut(string text, int length, string note)
    {
        if (text.Length <= length)
        {
            return text;
        }

        var cut = text.LastIndexOf('\n', Math.Max(0, length - 1));
        return text[..(cut < 0 ? 0 : cut + 1)] + "\n" + note;
    }
}
