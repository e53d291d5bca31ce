using System.Globalization;
using Synthetics.Probes;
using Synthetics.Results;

namespace Synthetics.Cli.Output;

/// <summary>A readable table per cycle: one row per probe, phases in milliseconds, failures explained.</summary>
internal sealed class TableResultWriter(TextWriter output) : IResultWriter
{
    private static readonly string[] Headers = ["TARGET", "PROBE", "OUTCOME", "TOTAL", "DNS", "CONNECT", "TLS", "TTFB", "XFER", "MESSAGE"];

    public async Task WriteAsync(ProbeCycleReport report, CancellationToken cancellationToken)
    {
        var vantage = report.Results.Count > 0 ? report.Results[0].Vantage : "-";
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"cycle {report.StartedAt:yyyy-MM-dd HH:mm:ss}Z at {vantage}: {report.Results.Count} probes, {report.Failed} failed, {report.Duration.TotalMilliseconds:0} ms"));

        var rows = report.Results.Select(r => new[]
        {
            r.Target, r.Probe, r.Outcome.ToContractName(), Ms(r.DurationMs), Ms(r.Phases.DnsMs), Ms(r.Phases.ConnectMs),
            Ms(r.Phases.TlsMs), Ms(r.Phases.TtfbMs), Ms(r.Phases.TransferMs), r.Message ?? "",
        }).ToList();
        var widths = Headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(row => row[i].Length))).ToArray();

        await output.WriteLineAsync(Format(Headers, widths));
        foreach (var row in rows)
        {
            await output.WriteLineAsync(Format(row, widths));
        }

        await output.WriteLineAsync();
        await output.FlushAsync(cancellationToken);
    }

    private static string Format(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((cell, i) => i == cells.Length - 1 ? cell : i >= 3 ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd();

    private static string Ms(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "-";
}
