using System.Globalization;
using System.Text;

namespace Synthetics.Storage;

/// <summary>
/// Partition and row keys of the two result tables (README "Storage"). Names are escaped so that a key only holds
/// <c>A–Z a–z 0–9 - . _</c>, <c>~XX</c> escapes and the <c>|</c> separator: the characters the table service forbids
/// (<c>/ \ # ?</c>, control characters) never reach it, and a prefix range <c>[p|, p})</c> holds exactly one name.
/// </summary>
internal static class ResultKeys
{
    public const char Separator = '|';

    // The character right after the separator: "p|" ≤ key < "p}" selects every key that starts with the component p.
    public const char AfterSeparator = '}';

    /// <summary>Time table partition: the UTC minute of the probe's start, then the vantage.</summary>
    public static string ByTimePartition(DateTimeOffset timestamp, string vantage) => $"{Minute(timestamp)}|{Escape(vantage)}";

    /// <summary>Time table row: target, probe and the start in ticks: the same result always gets the same key.</summary>
    public static string ByTimeRow(string target, string probe, DateTimeOffset timestamp) =>
        $"{Escape(target)}|{Escape(probe)}|{Ticks(timestamp)}";

    /// <summary>Cycle table partition: the UTC minute of the cycle's start (every vantage's cycles of a minute together).</summary>
    public static string CyclePartition(DateTimeOffset startedAt) => Minute(startedAt);

    /// <summary>Cycle table row: the vantage, then the start in ticks.</summary>
    public static string CycleRow(string vantage, DateTimeOffset startedAt) => $"{Escape(vantage)}|{Ticks(startedAt)}";

    /// <summary>Target table partition: the UTC day and the region (a region's targets share it: full transactions).</summary>
    public static string ByTargetPartition(DateTimeOffset timestamp, string region) => $"{Day(timestamp)}|{Escape(region)}";

    /// <summary>
    /// Target table row: target, then ticks, so one target over a time range is one row-key range inside the
    /// partition, read in time order; then vantage and probe.
    /// </summary>
    public static string ByTargetRow(string target, DateTimeOffset timestamp, string vantage, string probe) =>
        $"{TargetTicks(target, timestamp)}|{Escape(vantage)}|{Escape(probe)}";

    /// <summary>The row-key prefix of <paramref name="target"/> at <paramref name="timestamp"/>: a bound of a target's range.</summary>
    public static string TargetTicks(string target, DateTimeOffset timestamp) => $"{Escape(target)}|{Ticks(timestamp)}";

    public static string Minute(DateTimeOffset timestamp) => timestamp.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    public static string Day(DateTimeOffset timestamp) => timestamp.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Ticks(DateTimeOffset timestamp) => timestamp.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.All(IsPlain))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.IsAscii && IsPlain((char)rune.Value))
            {
                builder.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(bytes);
            foreach (var b in bytes[..length])
            {
                builder.Append('~').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_';
}
