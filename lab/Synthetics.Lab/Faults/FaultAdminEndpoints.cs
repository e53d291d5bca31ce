using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Synthetics.Lab.NodeBalancers;

namespace Synthetics.Lab.Faults;

/// <summary>
/// The lab's control panel for NodeBalancer faults, for demos and for tests that drive the lab from outside:
/// <list type="bullet">
/// <item><c>GET /admin/nodebalancers</c>: every NodeBalancer with its vantage endpoints, plans, backends and counters.</item>
/// <item><c>PUT /admin/nodebalancers/{name}/faults[?vantage=v]</c>: body is a <see cref="FaultPlan"/> (camelCase JSON).</item>
/// <item><c>DELETE /admin/nodebalancers/{name}/faults[?vantage=v]</c>: clears all faults, or one vantage's own plan.</item>
/// <item><c>PUT /admin/nodebalancers/{name}/backends/{index}/up</c> or <c>/down</c>.</item>
/// </list>
/// Bad input answers 400 (unknown NodeBalancer 404) with <c>{"field": "...", "error": "..."}</c>.
/// </summary>
public static class FaultAdminEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // A misspelt field silently ignored would leave the operator believing a fault is on.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    /// <summary>Maps the admin routes under <c>/admin/nodebalancers</c>; NodeBalancers are looked up by dictionary key.</summary>
    public static RouteGroupBuilder MapFaultAdmin(
        this IEndpointRouteBuilder endpoints, IReadOnlyDictionary<string, NodeBalancer> nodeBalancers)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(nodeBalancers);
        var group = endpoints.MapGroup("/admin/nodebalancers");

        group.MapGet("/", () => Results.Json(
            nodeBalancers.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => NodeBalancerView.From(pair.Value)).ToList(),
            Json));

        group.MapPut("/{name}/faults", async (string name, string? vantage, HttpRequest request, CancellationToken cancellationToken) =>
        {
            if (!nodeBalancers.TryGetValue(name, out var nodeBalancer))
            {
                return UnknownNodeBalancer(name);
            }

            if (vantage is not null && !nodeBalancer.Vantages.Contains(vantage, StringComparer.Ordinal))
            {
                return BadRequest("vantage", $"NodeBalancer '{name}' has no vantage '{vantage}'.");
            }

            FaultPlan? plan;
            try
            {
                plan = await JsonSerializer.DeserializeAsync<FaultPlan>(request.Body, Json, cancellationToken);
            }
            catch (JsonException ex)
            {
                return BadRequest(FieldOf(ex), ex.Message);
            }

            if (plan is null)
            {
                return BadRequest("body", "A fault plan object is required.");
            }

            if (plan.Validate() is { } error)
            {
                return BadRequest(error.Field, error.Message);
            }

            nodeBalancer.SetFaultPlan(plan, vantage);
            return Results.Json(NodeBalancerView.From(nodeBalancer), Json);
        });

        group.MapDelete("/{name}/faults", (string name, string? vantage) =>
        {
            if (!nodeBalancers.TryGetValue(name, out var nodeBalancer))
            {
                return UnknownNodeBalancer(name);
            }

            if (vantage is not null && !nodeBalancer.Vantages.Contains(vantage, StringComparer.Ordinal))
            {
                return BadRequest("vantage", $"NodeBalancer '{name}' has no vantage '{vantage}'.");
            }

            nodeBalancer.ClearFaults(vantage);
            return Results.Json(NodeBalancerView.From(nodeBalancer), Json);
        });

        group.MapPut("/{name}/backends/{index}/{state}", (string name, string index, string state) =>
        {
            if (!nodeBalancers.TryGetValue(name, out var nodeBalancer))
            {
                return UnknownNodeBalancer(name);
            }

            if (!int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var position)
                || position >= nodeBalancer.Backends.Count)
            {
                return BadRequest("index", $"Backend index must be 0–{nodeBalancer.Backends.Count - 1}.");
            }

            bool? isUp = state switch
            {
                "up" => true,
                "down" => false,
                _ => null,
            };
            if (isUp is null)
            {
                return BadRequest("state", "Backend state must be 'up' or 'down'.");
            }

            nodeBalancer.SetBackendUp(position, isUp.Value);
            return Results.Json(NodeBalancerView.From(nodeBalancer), Json);
        });

        return group;
    }

    /// <summary>
    /// The camelCase field a deserialization error is about: the last property in the JSON path
    /// (<c>$.stallShare</c> → <c>stallShare</c>), or <c>body</c> when the document itself is broken.
    /// </summary>
    private static string FieldOf(JsonException exception)
    {
        var path = exception.Path;
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var lastDot = path.LastIndexOf('.');
        var field = lastDot >= 0 ? path[(lastDot + 1)..] : path;
        return field.TrimStart('$').Trim('[', ']', '\'');
    }

    private static IResult BadRequest(string field, string error) =>
        Results.Json(new AdminError(field, error), Json, statusCode: StatusCodes.Status400BadRequest);

    private static IResult UnknownNodeBalancer(string name) =>
        Results.Json(new AdminError("name", $"No NodeBalancer '{name}'."), Json, statusCode: StatusCodes.Status404NotFound);
}
