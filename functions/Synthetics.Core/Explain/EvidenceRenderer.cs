namespace Synthetics.Explain;

/// <summary>Writes an <see cref="EvidenceReport"/> in one of the <see cref="EvidenceFormat"/>s: what both hosts serve.</summary>
public static class EvidenceRenderer
{
    /// <summary>The format of a command-line or query-string name: <c>html</c>, <c>md</c> (or <c>markdown</c>), <c>json</c>.</summary>
    public static bool TryParse(string? name, out EvidenceFormat format)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "html":
                format = EvidenceFormat.Html;
                return true;
            case "md" or "markdown":
                format = EvidenceFormat.Markdown;
                return true;
            case "json":
                format = EvidenceFormat.Json;
                return true;
            default:
                format = default;
                return false;
        }
    }

    public static string Render(EvidenceReport report, EvidenceFormat format) => format switch
    {
        EvidenceFormat.Markdown => EvidenceMarkdown.Render(report),
        EvidenceFormat.Json => EvidenceJson.Render(report),
        _ => EvidenceHtml.Render(report),
    };

    /// <summary>The media type to serve <paramref name="format"/> with.</summary>
    public static string ContentType(EvidenceFormat format) => format switch
    {
        EvidenceFormat.Markdown => "text/markdown; charset=utf-8",
        EvidenceFormat.Json => "application/json; charset=utf-8",
        _ => "text/html; charset=utf-8",
    };

    /// <summary>The file extension for <paramref name="format"/>, without the dot.</summary>
    public static string Extension(EvidenceFormat format) => format switch
    {
        EvidenceFormat.Markdown => "md",
        EvidenceFormat.Json => "json",
        _ => "html",
    };
}
