using System.Globalization;
using System.Text;

namespace Synthetics.Explain;

/// <summary>How the renderers write times, shares and latencies, and escape what came from targets and servers.</summary>
internal static class EvidenceText
{
    public static string Second(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Clock(DateTimeOffset value) => value.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);

    public static string Utc(DateTimeOffset? value) => value is { } v ? Second(v) + " UTC" : "–";

    public static string Share(double share) => share.ToString("0.#%", CultureInfo.InvariantCulture);

    public static string Share(int part, int whole) => whole == 0 ? "–" : Share((double)part / whole);

    public static string Ms(double? value) => value is { } v ? v.ToString(v < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " ms" : "–";

    public static string Number(double value, string format = "0.#") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>
    /// Text made inert for Markdown: the characters that mean something inside a line escaped (emphasis, code, links,
    /// table cells, strike-through), HTML's three as entities, line breaks folded to spaces. Escaped text never starts a
    /// line in the renderers (it follows a table pipe, a heading's hash or a word), so what means something only at
    /// the start of a line (<c>#</c>, <c>-</c>, <c>1.</c>) stays as written and readable.
    /// </summary>
    public static string Md(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '\r' or '\n' or '\t')
            {
                builder.Append(' ');
            }
            else if (char.IsControl(c))
            {
                // Control characters mean nothing to a reader and confuse ticket systems.
            }
            else if (c is '<')
            {
                builder.Append("&lt;");
            }
            else if (c is '>')
            {
                builder.Append("&gt;");
            }
            else if (c is '&')
            {
                builder.Append("&amp;");
            }
            else if ("\\`*_[]|~".Contains(c, StringComparison.Ordinal))
            {
                builder.Append('\\').Append(c);
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>A fenced code block whose fence is longer than any run of backticks inside: the text cannot close it.</summary>
    public static string MdCode(string text)
    {
        var longest = 0;
        var run = 0;
        foreach (var c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        var fence = new string('`', Math.Max(3, longest + 1));
        return $"{fence}sh\n{text.ReplaceLineEndings(" ")}\n{fence}\n";
    }

    /// <summary>Text for HTML content and attribute values.</summary>
    public static string Html(string? value) => System.Net.WebUtility.HtmlEncode(value ?? "");
}
