using System.Text.Json.Nodes;

namespace Synthetics.Lab.Kubernetes;

/// <summary>
/// RFC 7386 JSON merge patch. Strategic merge patch differs only for lists with merge keys, and a Lease
/// has none, so the lab applies both with this.
/// </summary>
internal static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? targetObject.DeepClone().AsObject() : [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = Apply(result[name], value);
            }
        }

        return result;
    }
}
