using System.Text.Json;
using YamlDotNet.Serialization;

namespace Synthetics.Lab.Tests.LinodeApi;

/// <summary>
/// Every field the lab returns exists in the Linode v4.189.0 schema of that operation with a compatible
/// type (nulls only where the spec says nullable, enum values from the enum). The schemas come from the full spec in
/// shared/reference/linode/openapi-v4.189.0.yaml (3.6 MB), parsed once for the class.
/// </summary>
public sealed class LinodeApiSchemaTests : LinodeApiTestBase
{
    // The live API and linodego's LKECluster.Status carry "status" (ready/not_ready); spec 4.189.0 omits it.
    private static readonly HashSet<string> NotInSpec = ["/{apiVersion}/lke/clusters/{clusterId}:$.status", "/{apiVersion}/lke/clusters:$.data[].status"];

    private static readonly Lazy<Dictionary<object, object>> Spec = new(() => LoadSpec());

    [Theory]
    [InlineData("/{apiVersion}/lke/clusters", "v4/lke/clusters")]
    [InlineData("/{apiVersion}/lke/clusters/{clusterId}", "v4/lke/clusters/1001")]
    [InlineData("/{apiVersion}/lke/clusters/{clusterId}/api-endpoints", "v4/lke/clusters/1001/api-endpoints")]
    [InlineData("/{apiVersion}/lke/clusters/{clusterId}/kubeconfig", "v4/lke/clusters/1001/kubeconfig")]
    [InlineData("/{apiVersion}/nodebalancers", "v4/nodebalancers")]
    [InlineData("/{apiVersion}/nodebalancers/{nodeBalancerId}", "v4/nodebalancers/7001")]
    [InlineData("/{apiVersion}/nodebalancers/{nodeBalancerId}/configs", "v4/nodebalancers/7001/configs")]
    [InlineData("/{apiVersion}/nodebalancers/{nodeBalancerId}/configs/{configId}/nodes", "v4/nodebalancers/7001/configs/8001/nodes")]
    [InlineData("/{apiVersion}/regions", "v4/regions")]
    [InlineData("/{apiVersion}/account/notifications", "v4/account/notifications")]
    [InlineData("/{apiVersion}/account/events", "v4/account/events")]
    public async Task Get_Operation_EveryFieldInSpecSchemaWithCompatibleType(string operation, string url)
    {
        var schema = Map(Map(Map(Map(Map(Map(Map(Spec.Value["paths"])[operation])["get"])["responses"])["200"])["content"])["application/json"])["schema"];
        using var response = await Http.GetAsync(new Uri(url, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var problems = new List<string>();
        Validate(operation, "$", body.RootElement, Map(schema), problems);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private static void Validate(string operation, string path, JsonElement value, Dictionary<object, object> schema, List<string> problems)
    {
        var type = schema.TryGetValue("type", out var t) ? (string)t : null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!(schema.TryGetValue("nullable", out var nullable) && nullable is "true"))
            {
                problems.Add($"{path}: null, but the spec does not mark it nullable");
            }

            return;
        }

        var compatible = type switch
        {
            "object" => value.ValueKind == JsonValueKind.Object,
            "array" => value.ValueKind == JsonValueKind.Array,
            "string" => value.ValueKind == JsonValueKind.String,
            "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            "number" => value.ValueKind == JsonValueKind.Number,
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            _ => true,
        };
        if (!compatible)
        {
            problems.Add($"{path}: {value.ValueKind}, but the spec says {type}");
            return;
        }

        if (schema.TryGetValue("enum", out var allowed) && value.ValueKind == JsonValueKind.String
            && !((List<object>)allowed).Contains(value.GetString()!))
        {
            problems.Add($"{path}: '{value.GetString()}' is not one of {string.Join(", ", (List<object>)allowed)}");
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            var properties = schema.TryGetValue("properties", out var p) ? Map(p) : [];
            foreach (var property in value.EnumerateObject())
            {
                var propertyPath = $"{path}.{property.Name}";
                if (properties.TryGetValue(property.Name, out var propertySchema))
                {
                    Validate(operation, propertyPath, property.Value, Map(propertySchema), problems);
                }
                else if (!NotInSpec.Contains($"{operation}:{propertyPath}"))
                {
                    problems.Add($"{propertyPath}: not in the spec's schema");
                }
            }
        }
        else if (value.ValueKind == JsonValueKind.Array && schema.TryGetValue("items", out var items))
        {
            foreach (var item in value.EnumerateArray())
            {
                Validate(operation, path + "[]", item, Map(items), problems);
            }
        }
    }

    private static Dictionary<object, object> Map(object node) => (Dictionary<object, object>)node;

    private static Dictionary<object, object> LoadSpec() =>
        Map(new DeserializerBuilder().Build().Deserialize<object>(File.ReadAllText(SharedReference.PathOf("linode", "openapi-v4.189.0.yaml")))!);
}
