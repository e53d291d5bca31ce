using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using Synthetics.Results;

namespace Synthetics.Storage;

/// <summary>
/// A result in the flat form both tables and the outbox hold: exact ticks (the keys derive from them, so a retried
/// write finds the same row), the outcome by its contract name, details as one JSON string property.
/// </summary>
internal sealed record StoredResult
{
    // A table string property holds up to 64 KiB (32 K UTF-16 characters); these caps keep an entity near 1–20 KiB.
    internal const int MaxMessageChars = 2048;
    internal const int MaxDetailsChars = 16 * 1024;

    private static readonly IReadOnlyDictionary<string, object> NoDetails = new Dictionary<string, object>();

    private static readonly Dictionary<string, ProbeOutcome> OutcomesByName =
        Enum.GetValues<ProbeOutcome>().ToDictionary(o => o.ToContractName(), StringComparer.Ordinal);

    public required long Ticks { get; init; }
    public required string Vantage { get; init; }
    public required string Target { get; init; }
    public required string TargetKind { get; init; }
    public required string Probe { get; init; }
    public required string Region { get; init; }
    public required string Outcome { get; init; }
    public required double DurationMs { get; init; }
    public double? DnsMs { get; init; }
    public double? ConnectMs { get; init; }
    public double? TlsMs { get; init; }
    public double? TtfbMs { get; init; }
    public double? TransferMs { get; init; }
    public int? StatusCode { get; init; }
    public string? RemoteAddress { get; init; }
    public string? Message { get; init; }
    public string? Details { get; init; }

    [JsonIgnore]
    public DateTimeOffset Timestamp => new(Ticks, TimeSpan.Zero);

    public static StoredResult From(ProbeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new StoredResult
        {
            Ticks = result.Timestamp.UtcTicks,
            Vantage = result.Vantage,
            Target = result.Target,
            TargetKind = result.TargetKind,
            Probe = result.Probe,
            Region = result.Region,
            Outcome = result.Outcome.ToContractName(),
            DurationMs = result.DurationMs,
            DnsMs = result.Phases.DnsMs,
            ConnectMs = result.Phases.ConnectMs,
            TlsMs = result.Phases.TlsMs,
            TtfbMs = result.Phases.TtfbMs,
            TransferMs = result.Phases.TransferMs,
            StatusCode = result.StatusCode,
            RemoteAddress = result.RemoteAddress,
            Message = result.Message is { Length: > MaxMessageChars } m ? m[..(MaxMessageChars - 1)] + "…" : result.Message,
            Details = DetailsJson(result.Details),
        };
    }

    public ProbeResult ToResult() => new()
    {
        Timestamp = Timestamp,
        Vantage = Vantage,
        Target = Target,
        TargetKind = TargetKind,
        Probe = Probe,
        Region = Region,
        Outcome = OutcomesByName.GetValueOrDefault(Outcome, ProbeOutcome.Error),
        DurationMs = DurationMs,
        Phases = DnsMs is null && ConnectMs is null && TlsMs is null && TtfbMs is null && TransferMs is null
            ? ProbePhases.None
            : new ProbePhases { DnsMs = DnsMs, ConnectMs = ConnectMs, TlsMs = TlsMs, TtfbMs = TtfbMs, TransferMs = TransferMs },
        StatusCode = StatusCode,
        RemoteAddress = RemoteAddress,
        Message = Message,
        Details = ParseDetails(Details),
    };

    public TableEntity ToByTimeEntity() =>
        Fill(new TableEntity(ResultKeys.ByTimePartition(Timestamp, Vantage), ResultKeys.ByTimeRow(Target, Probe, Timestamp)));

    public TableEntity ToByTargetEntity() =>
        Fill(new TableEntity(ResultKeys.ByTargetPartition(Timestamp, Region), ResultKeys.ByTargetRow(Target, Timestamp, Vantage, Probe)));

    public static StoredResult FromEntity(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return new StoredResult
        {
            Ticks = entity.GetInt64(nameof(Ticks)) ?? 0,
            Vantage = Name(entity.GetString(nameof(Vantage))),
            Target = Name(entity.GetString(nameof(Target))),
            TargetKind = Name(entity.GetString(nameof(TargetKind))),
            Probe = Name(entity.GetString(nameof(Probe))),
            Region = Name(entity.GetString(nameof(Region))),
            Outcome = entity.GetString(nameof(Outcome)) ?? "error",
            DurationMs = entity.GetDouble(nameof(DurationMs)) ?? 0,
            DnsMs = entity.GetDouble(nameof(DnsMs)),
            ConnectMs = entity.GetDouble(nameof(ConnectMs)),
            TlsMs = entity.GetDouble(nameof(TlsMs)),
            TtfbMs = entity.GetDouble(nameof(TtfbMs)),
            TransferMs = entity.GetDouble(nameof(TransferMs)),
            StatusCode = entity.GetInt32(nameof(StatusCode)),
            RemoteAddress = entity.GetString(nameof(RemoteAddress)),
            Message = entity.GetString(nameof(Message)),
            Details = entity.GetString(nameof(Details)),
        };
    }

    private TableEntity Fill(TableEntity entity)
    {
        entity[nameof(Ticks)] = Ticks;
        // ProbedAt duplicates Ticks as a date so people and Storage Explorer can read and filter it.
        entity["ProbedAt"] = Timestamp;
        entity[nameof(Vantage)] = Vantage;
        entity[nameof(Target)] = Target;
        entity[nameof(TargetKind)] = TargetKind;
        entity[nameof(Probe)] = Probe;
        entity[nameof(Region)] = Region;
        entity["Success"] = OutcomesByName.GetValueOrDefault(Outcome, ProbeOutcome.Error).IsSuccess();
        entity[nameof(Outcome)] = Outcome;
        entity[nameof(DurationMs)] = DurationMs;
        // Absent phases stay absent: a null property is not stored, which is how "did not happen" reads back.
        SetIfPresent(entity, nameof(DnsMs), DnsMs);
        SetIfPresent(entity, nameof(ConnectMs), ConnectMs);
        SetIfPresent(entity, nameof(TlsMs), TlsMs);
        SetIfPresent(entity, nameof(TtfbMs), TtfbMs);
        SetIfPresent(entity, nameof(TransferMs), TransferMs);
        SetIfPresent(entity, nameof(StatusCode), StatusCode);
        SetIfPresent(entity, nameof(RemoteAddress), RemoteAddress);
        SetIfPresent(entity, nameof(Message), Message);
        SetIfPresent(entity, nameof(Details), Details);
        return entity;
    }

    private static void SetIfPresent(TableEntity entity, string name, object? value)
    {
        if (value is not null)
        {
            entity[name] = value;
        }
    }

    private static string? DetailsJson(IReadOnlyDictionary<string, object> details)
    {
        if (details.Count == 0)
        {
            return null;
        }

        var json = JsonSerializer.Serialize(details, ProbeResultJson.Options);
        if (json.Length <= MaxDetailsChars)
        {
            return json;
        }

        // Too big for one property: keep what fits, key by key, and say that something was left out.
        var kept = new Dictionary<string, object>(StringComparer.Ordinal) { ["detailsTruncated"] = true };
        var length = 32;
        foreach (var (key, value) in details.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            var size = JsonSerializer.Serialize(value, ProbeResultJson.Options).Length + key.Length + 4;
            if (length + size <= MaxDetailsChars)
            {
                kept[key] = value;
                length += size;
            }
        }

        return JsonSerializer.Serialize(kept, ProbeResultJson.Options);
    }

    private static IReadOnlyDictionary<string, object> ParseDetails(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return NoDetails;
        }

        var details = new Dictionary<string, object>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (ToValue(property.Value) is { } value)
            {
                details[Name(property.Name)] = value;
            }
        }

        return details;
    }

    // Names repeat in every row (a few vantages, probes, regions and detail keys; the account's targets): one copy each
    // in memory, however many results an evaluator holds.
    private static string Name(string? name) => name is null ? "" : string.Intern(name);

    private static object? ToValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? whole : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => element.EnumerateArray()
            .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() ?? "" : e.GetRawText())
            .ToArray(),
        JsonValueKind.Object => element.Clone(),
        _ => null,
    };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Vantage}/{Target}/{Probe}@{Ticks}");
}
