using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Synthetics.Infra.Tests.Support;

/// <summary>A KQL query as deployed: where it comes from (rule or workbook item) and its text.</summary>
internal sealed record DeployedQuery(string Source, string Text);

/// <summary>
/// Every KQL query the compiled template deploys: the log alert rules' <c>criteria.allOf[].query</c> and the queries
/// inside the workbook's <c>serializedData</c>. Queries are kept literal in the template (loaded from files at compile
/// time), so the only ARM expression followed here is a reference to a template variable.
/// </summary>
internal static partial class DeployedQueries
{
    /// <summary>What the workbook substitutes for its time range parameter (the default choice, the last day).</summary>
    public const string WorkbookTimeRange = "> ago(1d)";

    public static IReadOnlyList<DeployedQuery> AlertRules(JsonNode template) =>
        [.. CompiledTemplate.ResourcesIn(template, "Microsoft.Insights/scheduledQueryRules")
            .SelectMany(r => r.Resource["properties"]!["criteria"]!["allOf"]!.AsArray().Select(c =>
                new DeployedQuery(r.Resource["name"]!.GetValue<string>(), LiteralString(c!["query"]!.GetValue<string>(), r.Template))))];

    public static IReadOnlyList<DeployedQuery> Workbooks(JsonNode template) =>
        [.. CompiledTemplate.ResourcesIn(template, "Microsoft.Insights/workbooks").SelectMany(r =>
        {
            var serialized = r.Resource["properties"]!["serializedData"]!.GetValue<string>();
            // serializedData is string(union(<the workbook file>, { fallbackResourceIds })): the file is a variable.
            var contents = VariableReference().Matches(serialized)
                .Select(m => Resolve(JsonValue.Create($"[variables('{m.Groups[1].Value}')]"), r.Template))
                .OfType<JsonObject>()
                .Where(o => o["items"] is JsonArray)
                .ToList();
            Assert.True(contents.Count == 1, $"the workbook's content is not a template variable: {serialized}");
            return WorkbookItems(contents[0]["items"]!.AsArray())
                .Where(i => i["content"]?["query"] is not null)
                .Select(i => new DeployedQuery(
                    $"workbook item '{i["name"]}'",
                    i["content"]!["query"]!.GetValue<string>().Replace("{TimeRange}", WorkbookTimeRange, StringComparison.Ordinal)));
        })];

    private static IEnumerable<JsonNode> WorkbookItems(JsonArray items) =>
        items.OfType<JsonNode>().SelectMany(i => i["content"]?["items"] is JsonArray group ? WorkbookItems(group).Prepend(i) : [i]);

    private static string LiteralString(string value, JsonNode template)
    {
        var resolved = Resolve(JsonValue.Create(value), template);
        Assert.True(resolved is JsonValue text && text.TryGetValue<string>(out _), $"query is computed at deployment, keep it literal: {value}");
        return resolved!.GetValue<string>();
    }

    /// <summary>A template value: a literal (ARM escapes a leading '[' as '[['), or a reference to a variable, followed.</summary>
    private static JsonNode? Resolve(JsonNode? value, JsonNode template)
    {
        if (value is not JsonValue text || !text.TryGetValue<string>(out var s))
        {
            return value;
        }

        if (s.StartsWith("[[", StringComparison.Ordinal))
        {
            return JsonValue.Create(s[1..]);
        }

        if (!s.StartsWith('['))
        {
            return value;
        }

        var variable = OnlyVariableReference().Match(s);
        Assert.True(variable.Success, $"an ARM expression other than a variable reference: {s}");
        return Resolve(template["variables"]![variable.Groups[1].Value]?.DeepClone(), template);
    }

    [GeneratedRegex(@"variables\('([^']+)'\)")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"^\[variables\('([^']+)'\)\]$")]
    private static partial Regex OnlyVariableReference();
}
