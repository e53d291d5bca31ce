using System.Globalization;

namespace Synthetics.Explain;

/// <summary>
/// What an evidence report is about: one incident (by id), or one region or one target over a time range. Exactly one
/// of <see cref="IncidentId"/>, <see cref="Region"/> and <see cref="Target"/> is set.
/// </summary>
public sealed record EvidenceRequest
{
    /// <summary>An incident id as the notice prints it, e.g. <c>provider:ca-central@20260312T140200Z</c>.</summary>
    public string? IncidentId { get; init; }

    /// <summary>A Linode region, e.g. <c>ca-central</c>: every target of it.</summary>
    public string? Region { get; init; }

    /// <summary>A target's name as configured.</summary>
    public string? Target { get; init; }

    /// <summary>
    /// Start of the report (UTC). Default: for an incident, 30 minutes before it was first seen; otherwise one hour
    /// before <see cref="To"/>.
    /// </summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>End of the report (UTC). Default: for an incident, 15 minutes after it resolved (or now); otherwise now.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>
    /// Reads a <c>from</c> or <c>to</c> as both hosts take it: ISO 8601, UTC unless it carries an offset. An absent value
    /// is fine (null: the default applies); false only for text that is not a time.
    /// </summary>
    public static bool TryParseTime(string? value, out DateTimeOffset? time)
    {
        time = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }

        return false;
    }
}
