using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Synthetics.Lab.LinodeApi;

/// <summary>
/// Linode's <c>X-Filter</c> for <c>GET /account/events</c>, on the fields the spec marks filterable: <c>id</c>,
/// <c>action</c>, <c>created</c> (equal, or <c>+gt</c>, <c>+gte</c>, <c>+lt</c>, <c>+lte</c>, <c>+neq</c> with
/// <c>%Y-%m-%dT%H:%M:%S</c> values), <c>read</c>, <c>entity.id</c> and <c>entity.type</c>; combined by <c>+and</c> and
/// <c>+or</c> (arrays of filters) and by several keys in one object; sorted by <c>+order_by</c> (<c>created</c> or
/// <c>id</c>) and <c>+order</c> (<c>asc</c>, <c>desc</c>). Without a sort, newest first. Anything else is refused with 400
/// naming the field, as the API does.
/// </summary>
internal sealed class EventFilter
{
    private static readonly string[] Operators = ["+gt", "+gte", "+lt", "+lte", "+neq"];

    private readonly Func<AccountEvent, bool> _matches;
    private readonly string _orderBy;
    private readonly bool _descending;

    private EventFilter(Func<AccountEvent, bool> matches, string orderBy, bool descending)
    {
        _matches = matches;
        _orderBy = orderBy;
        _descending = descending;
    }

    /// <summary>The events that pass, in the filter's order.</summary>
    public IEnumerable<AccountEvent> Apply(IEnumerable<AccountEvent> events)
    {
        var kept = events.Where(_matches);
        Func<AccountEvent, DateTimeOffset> byCreated = e => e.Created;
        return _orderBy == "created"
            ? (_descending ? kept.OrderByDescending(byCreated).ThenByDescending(e => e.Id) : kept.OrderBy(byCreated).ThenBy(e => e.Id))
            : (_descending ? kept.OrderByDescending(e => e.Id) : kept.OrderBy(e => e.Id));
    }

    /// <summary>Reads the request's <c>X-Filter</c>; false with the offending field when the API would refuse it.</summary>
    public static bool TryParse(HttpRequest request, [NotNullWhen(true)] out EventFilter? filter, out string field)
    {
        filter = null;
        field = "X-Filter";
        var header = request.Headers["X-Filter"].ToString();
        if (header.Length == 0)
        {
            filter = new EventFilter(_ => true, "id", descending: true);
            return true;
        }

        try
        {
            using var document = JsonDocument.Parse(header);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var orderBy = "id";
            var descending = true;
            if (document.RootElement.TryGetProperty("+order_by", out var order))
            {
                if (order.ValueKind != JsonValueKind.String || order.GetString() is not ("created" or "id"))
                {
                    field = "+order_by";
                    return false;
                }

                orderBy = order.GetString()!;
                descending = false;
            }

            if (document.RootElement.TryGetProperty("+order", out var direction))
            {
                if (direction.ValueKind != JsonValueKind.String || direction.GetString() is not ("asc" or "desc"))
                {
                    field = "+order";
                    return false;
                }

                descending = direction.GetString() == "desc";
            }

            var (predicate, bad) = Object(document.RootElement);
            if (predicate is null)
            {
                field = bad ?? field;
                return false;
            }

            filter = new EventFilter(predicate, orderBy, descending);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static (Func<AccountEvent, bool>? Predicate, string? Bad) Object(JsonElement element)
    {
        var parts = new List<Func<AccountEvent, bool>>();
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "+order_by" or "+order":
                    continue;
                case "+and" or "+or":
                    if (property.Value.ValueKind != JsonValueKind.Array)
                    {
                        return (null, property.Name);
                    }

                    var children = new List<Func<AccountEvent, bool>>();
                    foreach (var child in property.Value.EnumerateArray())
                    {
                        if (child.ValueKind != JsonValueKind.Object)
                        {
                            return (null, property.Name);
                        }

                        var (predicate, bad) = Object(child);
                        if (predicate is null)
                        {
                            return (null, bad);
                        }

                        children.Add(predicate);
                    }

                    var all = children.ToArray();
                    parts.Add(property.Name == "+and" ? e => all.All(p => p(e)) : e => all.Any(p => p(e)));
                    break;
                default:
                    var (field, ok) = Field(property.Name, property.Value);
                    if (!ok)
                    {
                        return (null, property.Name);
                    }

                    parts.Add(field!);
                    break;
            }
        }

        var conjunction = parts.ToArray();
        return (e => conjunction.All(p => p(e)), null);
    }

    // Values are read here, not in the predicates: the document is gone by the time they run.
    private static (Func<AccountEvent, bool>? Predicate, bool Ok) Field(string name, JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        long? number = value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;
        return name switch
        {
            "action" when text is not null => (e => e.Action == text, true),
            "entity.type" when text is not null => (e => e.EntityType == text, true),
            "id" when number is { } id => (e => e.Id == id, true),
            "entity.id" when number is { } entityId => (e => e.EntityId == entityId, true),
            "read" when value.ValueKind is JsonValueKind.True => (_ => false, true),
            "read" when value.ValueKind is JsonValueKind.False => (_ => true, true),
            "created" => Created(value),
            _ => (null, false),
        };
    }

    private static (Func<AccountEvent, bool>? Predicate, bool Ok) Created(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return Time(value) is { } at ? (e => Truncate(e.Created) == at, true) : (null, false);
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return (null, false);
        }

        var checks = new List<Func<AccountEvent, bool>>();
        foreach (var comparison in value.EnumerateObject())
        {
            if (!Operators.Contains(comparison.Name, StringComparer.Ordinal) || Time(comparison.Value) is not { } at)
            {
                return (null, false);
            }

            checks.Add(comparison.Name switch
            {
                "+gt" => e => Truncate(e.Created) > at,
                "+gte" => e => Truncate(e.Created) >= at,
                "+lt" => e => Truncate(e.Created) < at,
                "+lte" => e => Truncate(e.Created) <= at,
                _ => e => Truncate(e.Created) != at,
            });
        }

        var all = checks.ToArray();
        return (e => all.All(c => c(e)), true);
    }

    // The API's filter values are "%Y-%m-%dT%H:%M:%S", UTC, to the second.
    private static DateTime? Time(JsonElement value) =>
        value.ValueKind == JsonValueKind.String
        && DateTime.TryParseExact(value.GetString(), "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? at
            : null;

    private static DateTime Truncate(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        return new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, utc.Second, DateTimeKind.Unspecified);
    }
}
