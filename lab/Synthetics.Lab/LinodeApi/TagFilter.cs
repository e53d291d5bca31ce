using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Synthetics.Lab.LinodeApi;

/// <summary>
/// The part of Linode's <c>X-Filter</c> the lab understands: <c>{"tags": "t"}</c> and <c>{"+or": [{"tags": "a"}, …]}</c>
/// (an item matches when it carries one of the tags, compared case-insensitively as the API does). Any other filter is
/// refused with 400, so a client relying on more than the lab serves learns it here rather than in production.
/// </summary>
internal sealed class TagFilter
{
    private static readonly TagFilter All = new([]);

    private readonly IReadOnlyList<string> _tags;

    private TagFilter(IReadOnlyList<string> tags) => _tags = tags;

    public bool Matches(IReadOnlyList<string> tags) =>
        _tags.Count == 0 || tags.Any(t => _tags.Contains(t, StringComparer.OrdinalIgnoreCase));

    public static bool TryParse(HttpRequest request, [NotNullWhen(true)] out TagFilter? filter)
    {
        filter = All;
        var header = request.Headers["X-Filter"].ToString();
        if (header.Length == 0)
        {
            return true;
        }

        try
        {
            using var document = JsonDocument.Parse(header);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && Tag(root) is { } single)
            {
                filter = new TagFilter([single]);
                return true;
            }

            if (root.ValueKind == JsonValueKind.Object && root.EnumerateObject().Count() == 1
                && root.TryGetProperty("+or", out var any) && any.ValueKind == JsonValueKind.Array)
            {
                var tags = any.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Object ? Tag(e) : null).ToArray();
                if (tags.Length > 0 && tags.All(t => t is not null))
                {
                    filter = new TagFilter(tags!);
                    return true;
                }
            }
        }
        catch (JsonException)
        {
        }

        filter = null;
        return false;
    }

    private static string? Tag(JsonElement element) =>
        element.EnumerateObject().Count() == 1 && element.TryGetProperty("tags", out var tag) && tag.ValueKind == JsonValueKind.String
            ? tag.GetString()
            : null;
}
