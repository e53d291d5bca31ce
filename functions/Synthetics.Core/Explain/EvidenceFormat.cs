namespace Synthetics.Explain;

/// <summary>How an evidence report is written.</summary>
public enum EvidenceFormat
{
    /// <summary>One self-contained HTML file: inline SVG charts, no external assets, printable on A4.</summary>
    Html,

    /// <summary>Markdown for a support ticket's description: at most <see cref="EvidenceMarkdown.MaxCharacters"/> characters.</summary>
    Markdown,

    /// <summary>Everything, every failed attempt included.</summary>
    Json,
}
