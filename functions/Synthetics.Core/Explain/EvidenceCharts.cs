using System.Globalization;
using System.Text;
using static Synthetics.Explain.EvidenceText;

namespace Synthetics.Explain;

/// <summary>
/// Inline SVG line charts for the HTML report: minutes on x, one line per series (colour and dash both differ, so a
/// greyscale print still tells them apart), the problem window and provider maintenance shaded. Sized in user units
/// for the width of an A4 page's text (about 180 mm); the SVG scales to its container.
/// </summary>
internal static class EvidenceCharts
{
    public const int Width = 680;
    public const int Height = 190;
    private const int Left = 52;
    private const int Right = 12;
    private const int Top = 30;
    private const int Bottom = 26;

    // Okabe–Ito: told apart by colour-blind readers too.
    private static readonly string[] Colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];
    private static readonly string[] Dashes = ["", "6 3", "2 2", "8 3 2 3", "4 4", "1 3", "10 4"];

    private static readonly double[] NiceShares = [0.05, 0.1, 0.2, 0.25, 0.5, 1];
    private static readonly int[] TickMinutes = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440];

    /// <summary>One line: its name and its points (minute start, value).</summary>
    public sealed record Series(string Name, IReadOnlyList<(DateTimeOffset Minute, double Value)> Points);

    /// <summary>A shaded span: <c>problem</c> or <c>maintenance</c>.</summary>
    public sealed record Band(DateTimeOffset From, DateTimeOffset To, string Kind, string Label);

    /// <summary>A chart of shares (0–1), the y axis in percent.</summary>
    public static string Shares(string title, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<Series> series, IReadOnlyList<Band> bands)
    {
        var max = series.SelectMany(s => s.Points).Select(p => p.Value).DefaultIfEmpty(0).Max();
        var top = NiceShares.FirstOrDefault(n => n >= max, 1);
        return Chart(title, from, to, series, bands, top, v => Share(v));
    }

    /// <summary>A chart of latencies in milliseconds.</summary>
    public static string Latencies(string title, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<Series> series, IReadOnlyList<Band> bands)
    {
        var max = series.SelectMany(s => s.Points).Select(p => p.Value).DefaultIfEmpty(1).Max();
        return Chart(title, from, to, series, bands, NiceCeiling(Math.Max(max, 1)), v => Number(v, "0") + " ms");
    }

    private static string Chart(
        string title, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<Series> series, IReadOnlyList<Band> bands, double top, Func<double, string> label)
    {
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var span = Math.Max(1, (to - from).TotalSeconds);
        double X(DateTimeOffset at) => Left + (Math.Clamp((at - from).TotalSeconds, 0, span) / span * plotWidth);
        double Y(double value) => Top + plotHeight - (Math.Clamp(value / top, 0, 1) * plotHeight);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Html(title)}\" class=\"chart\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"13\" class=\"title\">{Html(title)}</text>");

        // Legend on the title's line, right-aligned: each series' colour and dash beside its name.
        var legendX = Width - Right;
        for (var i = series.Count - 1; i >= 0; i--)
        {
            var name = series[i].Name;
            legendX -= (int)(name.Length * 6.2) + 30;
            svg.Append(CultureInfo.InvariantCulture,
                $"<line x1=\"{legendX}\" y1=\"{Top - 9}\" x2=\"{legendX + 20}\" y2=\"{Top - 9}\" stroke=\"{Colour(i)}\" stroke-width=\"2.5\" stroke-dasharray=\"{Dash(i)}\"/>" +
                $"<text x=\"{legendX + 24}\" y=\"{Top - 5}\" class=\"legend\">{Html(name)}</text>");
        }

        foreach (var band in bands)
        {
            var x1 = X(band.From);
            var x2 = X(band.To);
            if (x2 - x1 < 0.5)
            {
                continue;
            }

            svg.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{F(x1)}\" y=\"{Top}\" width=\"{F(x2 - x1)}\" height=\"{plotHeight}\" class=\"band {Html(band.Kind)}\"><title>{Html(band.Label)}</title></rect>");
            // The label starts at the band's left edge, or ends at its right edge when it would run off the chart.
            var text = band.Label.Length > 48 ? band.Label[..47] + "…" : band.Label;
            var fits = x1 + 3 + (text.Length * 5.3) <= Width - Right;
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{F(fits ? x1 + 3 : Math.Min(x2, Width - Right) - 3)}\" y=\"{(band.Kind == "problem" ? Top + 11 : Top + plotHeight - 4)}\" class=\"band-label\" text-anchor=\"{(fits ? "start" : "end")}\">{Html(text)}</text>");
        }

        // Horizontal grid: 0, half, top.
        foreach (var fraction in new[] { 0, 0.5, 1 })
        {
            var y = Y(top * fraction);
            svg.Append(CultureInfo.InvariantCulture,
                $"<line x1=\"{Left}\" y1=\"{F(y)}\" x2=\"{Width - Right}\" y2=\"{F(y)}\" class=\"grid\"/><text x=\"{Left - 4}\" y=\"{F(y + 3.5)}\" class=\"axis\" text-anchor=\"end\">{Html(label(top * fraction))}</text>");
        }

        // Time ticks: at most eight, on round minutes.
        var step = TickMinutes.FirstOrDefault(m => span / 60 / m <= 8, TickMinutes[^1]);
        var first = new DateTimeOffset(from.UtcTicks - (from.UtcTicks % (TimeSpan.TicksPerMinute * step)), TimeSpan.Zero);
        for (var tick = first; tick <= to; tick = tick.AddMinutes(step))
        {
            if (tick < from)
            {
                continue;
            }

            var x = X(tick);
            // A label at either edge is anchored inside the chart, so it is never cut off.
            var anchor = x > Width - Right - 16 ? "end" : x < Left + 16 ? "start" : "middle";
            svg.Append(CultureInfo.InvariantCulture,
                $"<line x1=\"{F(x)}\" y1=\"{Top + plotHeight}\" x2=\"{F(x)}\" y2=\"{Top + plotHeight + 4}\" class=\"tick\"/><text x=\"{F(x)}\" y=\"{Height - 8}\" class=\"axis\" text-anchor=\"{anchor}\">{Clock(tick)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" class=\"frame\"/>");
        for (var i = 0; i < series.Count; i++)
        {
            foreach (var segment in Segments(series[i].Points))
            {
                var points = string.Join(" ", segment.Select(p => $"{F(X(p.Minute.AddSeconds(30)))},{F(Y(p.Value))}"));
                svg.Append(segment.Count == 1
                    ? $"<circle cx=\"{F(X(segment[0].Minute.AddSeconds(30)))}\" cy=\"{F(Y(segment[0].Value))}\" r=\"2.2\" fill=\"{Colour(i)}\"/>"
                    : $"<polyline points=\"{points}\" fill=\"none\" stroke=\"{Colour(i)}\" stroke-width=\"1.8\" stroke-dasharray=\"{Dash(i)}\" stroke-linejoin=\"round\"/>");
            }
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Runs of consecutive minutes: a minute without data breaks the line instead of bridging the gap.</summary>
    private static List<List<(DateTimeOffset Minute, double Value)>> Segments(IReadOnlyList<(DateTimeOffset Minute, double Value)> points)
    {
        var segments = new List<List<(DateTimeOffset Minute, double Value)>>();
        List<(DateTimeOffset Minute, double Value)>? current = null;
        DateTimeOffset? previous = null;
        foreach (var point in points.OrderBy(p => p.Minute))
        {
            if (current is null || previous is not { } last || point.Minute - last > TimeSpan.FromMinutes(2))
            {
                current = [];
                segments.Add(current);
            }

            current.Add(point);
            previous = point.Minute;
        }

        return segments;
    }

    private static double NiceCeiling(double value)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var factor in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (factor * magnitude >= value)
            {
                return factor * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static string Colour(int index) => Colours[index % Colours.Length];

    private static string Dash(int index) => Dashes[index % Dashes.Length];

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
