using System.Globalization;
using System.Text.Json.Nodes;

namespace Synthetics.Lab.Kubernetes;

/// <summary>RFC 6902 JSON patch (add, remove, replace, move, copy, test) over a document copy.</summary>
internal static class JsonPatch
{
    /// <summary>Returns the patched copy, or null with <paramref name="error"/> set when an operation cannot apply.</summary>
    public static JsonNode? Apply(JsonNode document, JsonNode? patch, out string? error)
    {
        error = null;
        if (patch is not JsonArray operations)
        {
            error = "a JSON patch must be an array of operations";
            return null;
        }

        var root = new JsonObject { ["doc"] = document.DeepClone() };
        foreach (var operation in operations)
        {
            if (operation is not JsonObject op || Text(op["op"]) is not { } name || Text(op["path"]) is not { } path)
            {
                error = "each JSON patch operation needs \"op\" and \"path\"";
                return null;
            }

            error = name switch
            {
                "add" => Add(root, path, op["value"]?.DeepClone()),
                "remove" => Remove(root, path, out _),
                "replace" => Remove(root, path, out _) ?? Add(root, path, op["value"]?.DeepClone()),
                "move" => Move(root, Text(op["from"]), path),
                "copy" => Copy(root, Text(op["from"]), path),
                "test" => Test(root, path, op["value"]),
                _ => $"unknown JSON patch operation \"{name}\"",
            };
            if (error is not null)
            {
                return null;
            }
        }

        return root["doc"];
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string? Move(JsonObject root, string? from, string path)
    {
        if (from is null)
        {
            return "move needs \"from\"";
        }

        return Remove(root, from, out var value) ?? Add(root, path, value);
    }

    private static string? Copy(JsonObject root, string? from, string path)
    {
        if (from is null)
        {
            return "copy needs \"from\"";
        }

        return Resolve(root, from, out var parent, out var key) ?? Add(root, path, Child(parent!, key!)?.DeepClone());
    }

    private static string? Test(JsonObject root, string path, JsonNode? expected)
    {
        var error = Resolve(root, path, out var parent, out var key);
        if (error is not null)
        {
            return error;
        }

        return JsonNode.DeepEquals(Child(parent!, key!), expected) ? null : $"test failed at {path}";
    }

    private static string? Add(JsonObject root, string path, JsonNode? value)
    {
        var error = Resolve(root, path, out var parent, out var key, mustExist: false);
        if (error is not null)
        {
            return error;
        }

        switch (parent)
        {
            case JsonObject obj:
                obj[key!] = value;
                return null;
            case JsonArray array when key == "-":
                array.Add(value);
                return null;
            case JsonArray array when int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index <= array.Count:
                array.Insert(index, value);
                return null;
            default:
                return $"cannot add at {path}";
        }
    }

    private static string? Remove(JsonObject root, string path, out JsonNode? removed)
    {
        removed = null;
        var error = Resolve(root, path, out var parent, out var key);
        if (error is not null)
        {
            return error;
        }

        removed = Child(parent!, key!);
        if (parent is JsonObject obj)
        {
            obj.Remove(key!);
        }
        else
        {
            ((JsonArray)parent!).RemoveAt(int.Parse(key!, CultureInfo.InvariantCulture));
        }

        // Detached so it can be re-inserted elsewhere by move.
        return null;
    }

    private static JsonNode? Child(JsonNode parent, string key) =>
        parent is JsonObject obj ? obj[key] : parent.AsArray()[int.Parse(key, CultureInfo.InvariantCulture)];

    /// <summary>Walks a JSON pointer to the parent of its last segment.</summary>
    private static string? Resolve(JsonObject root, string pointer, out JsonNode? parent, out string? key, bool mustExist = true)
    {
        parent = null;
        key = null;
        if (pointer.Length > 0 && pointer[0] != '/')
        {
            return $"invalid JSON pointer \"{pointer}\"";
        }

        var segments = pointer.Length == 0
            ? new[] { "doc" }
            : ["doc", .. pointer[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
        JsonNode current = root;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            var next = current switch
            {
                JsonObject obj => obj[segments[i]],
                JsonArray array when int.TryParse(segments[i], NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count => array[index],
                _ => null,
            };
            if (next is null)
            {
                return $"path {pointer} does not exist";
            }

            current = next;
        }

        parent = current;
        key = segments[^1];
        var exists = current switch
        {
            JsonObject obj => obj.ContainsKey(key),
            JsonArray array => int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count,
            _ => false,
        };
        if (current is not JsonObject and not JsonArray)
        {
            return $"path {pointer} does not exist";
        }

        return mustExist && !exists ? $"path {pointer} does not exist" : null;
    }
}
