using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Synthetics.Lab.Kubernetes;

/// <summary>
/// Leases on the wire. KubernetesClient's serializer drops the fraction of a whole-second time, while the
/// real server always writes <c>MicroTime</c> with six digits and <c>Time</c> with none; this restores that shape.
/// </summary>
internal static class LeaseJson
{
    public const string ApiVersion = "coordination.k8s.io/v1";
    public const string Kind = "Lease";
    public const string ListKind = "LeaseList";

    /// <summary>
    /// Writes quotes and <c>+</c> as the Go encoder does (<c>\"</c>, <c>+</c>) rather than as <c>\u0022</c>, so messages
    /// read the same as a real server's. Responses are JSON, never HTML, so the relaxed escaping is safe.
    /// </summary>
    public static readonly JsonSerializerOptions WireOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string MicroTimeFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'";
    private const string TimeFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'";

    public static JsonObject ToJson(V1Lease lease, bool includeTypeMeta)
    {
        var json = JsonNode.Parse(KubernetesJson.Serialize(lease))!.AsObject();
        if (includeTypeMeta)
        {
            json["apiVersion"] = ApiVersion;
            json["kind"] = Kind;
        }
        else
        {
            // List items carry no type meta on the real server: the list's kind says it once.
            json.Remove("apiVersion");
            json.Remove("kind");
        }

        if (json["metadata"] is JsonObject metadata)
        {
            SetTime(metadata, "creationTimestamp", lease.Metadata?.CreationTimestamp, TimeFormat);
            SetTime(metadata, "deletionTimestamp", lease.Metadata?.DeletionTimestamp, TimeFormat);
        }

        if (json["spec"] is JsonObject spec)
        {
            SetTime(spec, "acquireTime", lease.Spec?.AcquireTime, MicroTimeFormat);
            SetTime(spec, "renewTime", lease.Spec?.RenewTime, MicroTimeFormat);
        }

        return Ordered(json, TopLevelOrder, ["metadata", "spec"]);
    }

    public static JsonObject ListToJson(IEnumerable<V1Lease> leases, long resourceVersion)
    {
        var items = new JsonArray();
        foreach (var lease in leases)
        {
            items.Add(ToJson(lease, includeTypeMeta: false));
        }

        return new JsonObject
        {
            ["kind"] = ListKind,
            ["apiVersion"] = ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) },
            ["items"] = items,
        };
    }

    /// <summary>Reads a Lease body; null with an error message when it is not a Lease.</summary>
    public static V1Lease? Read(JsonNode? body, out string? error)
    {
        error = null;
        if (body is not JsonObject obj)
        {
            error = "the request body is not a JSON object";
            return null;
        }

        if (obj["kind"] is JsonValue kind && kind.ToString() != Kind)
        {
            error = $"the kind {kind} of the provided object does not match the resource leases ({Kind})";
            return null;
        }

        try
        {
            return KubernetesJson.Deserialize<V1Lease>(obj);
        }
        catch (JsonException ex)
        {
            error = $"the request body is not a valid Lease: {ex.Message}";
            return null;
        }
        catch (FormatException ex)
        {
            error = $"the request body is not a valid Lease: {ex.Message}";
            return null;
        }
    }

    /// <summary>A deep copy, so callers never share an instance with the store.</summary>
    public static V1Lease Clone(V1Lease lease) => KubernetesJson.Deserialize<V1Lease>(KubernetesJson.Serialize(lease));

    /// <summary>Truncates to the precision the wire format keeps, so the stored object equals what clients read back.</summary>
    public static DateTime? ToMicroseconds(DateTime? value) =>
        value is { } v ? new DateTime(AsUtc(v).Ticks - (AsUtc(v).Ticks % 10), DateTimeKind.Utc) : null;

    public static DateTime ToSeconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    // Field order of the Go structs, so captured output reads like the real server's (JSON itself does not care).
    private static readonly string[] TopLevelOrder = ["kind", "apiVersion", "metadata", "spec"];
    private static readonly string[] MetadataOrder =
        ["name", "generateName", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "labels", "annotations"];
    private static readonly string[] SpecOrder =
        ["holderIdentity", "leaseDurationSeconds", "acquireTime", "renewTime", "leaseTransitions", "strategy", "preferredHolder"];

    private static JsonObject Ordered(JsonObject source, string[] order, string[] nested)
    {
        var result = new JsonObject();
        foreach (var key in order.Where(source.ContainsKey).Concat(source.Select(p => p.Key).Where(k => !order.Contains(k))).ToList())
        {
            var value = source[key];
            source.Remove(key);
            result[key] = value is JsonObject child && nested.Contains(key)
                ? Ordered(child, key == "metadata" ? MetadataOrder : SpecOrder, [])
                : value;
        }

        return result;
    }

    private static void SetTime(JsonObject owner, string property, DateTime? value, string format)
    {
        if (value is { } v)
        {
            owner[property] = AsUtc(v).ToString(format, CultureInfo.InvariantCulture);
        }
    }

    private static DateTime AsUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        // KubernetesClient hands out UTC; an unspecified kind comes from callers who built a model by hand.
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };
}
