using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Synthetics.Lab.Kubernetes;

/// <summary>
/// A <c>meta/v1 Status</c> as the real API server returns it for errors and deletions: clients such as
/// client-go and KubernetesClient read <c>reason</c> and <c>code</c> from it, so the shape matters.
/// </summary>
internal sealed record ApiStatus(int Code, string Status, string? Message, string? Reason, JsonObject? Details)
{
    private const string LeaseGroup = "coordination.k8s.io";
    private const string LeaseResource = "leases";

    public static ApiStatus Unauthorized() => Failure(401, "Unauthorized", "Unauthorized", details: null);

    public static ApiStatus NotFound(string name) =>
        Failure(404, $"{LeaseResource}.{LeaseGroup} \"{name}\" not found", "NotFound", LeaseDetails(name));

    public static ApiStatus AlreadyExists(string name) =>
        Failure(409, $"{LeaseResource}.{LeaseGroup} \"{name}\" already exists", "AlreadyExists", LeaseDetails(name));

    public static ApiStatus Conflict(string name, string why) =>
        Failure(409, $"Operation cannot be fulfilled on {LeaseResource}.{LeaseGroup} \"{name}\": {why}", "Conflict", LeaseDetails(name));

    public static ApiStatus Modified(string name) =>
        Conflict(name, "the object has been modified; please apply your changes to the latest version and try again");

    public static ApiStatus BadRequest(string message) => Failure(400, message, "BadRequest", details: null);

    public static ApiStatus Invalid(string name, string cause) =>
        Failure(422, $"Lease.{LeaseGroup} \"{name}\" is invalid: {cause}", "Invalid", LeaseDetails(name, kind: "Lease"));

    public static ApiStatus UnsupportedMediaType(string contentType) => Failure(
        415,
        $"the body of the request was in an unknown format ({contentType}) - accepted media types include: " +
        "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json",
        "UnsupportedMediaType",
        details: null);

    public static ApiStatus Gone(long requested, long oldest) =>
        Failure(410, $"too old resource version: {requested} ({oldest})", "Expired", details: null);

    public static ApiStatus RouteNotFound() =>
        Failure(404, "the server could not find the requested resource", "NotFound", details: []);

    public static ApiStatus Deleted(string name, string? uid)
    {
        var details = LeaseDetails(name);
        if (uid is not null)
        {
            details["uid"] = uid;
        }

        return new ApiStatus(200, "Success", null, null, details);
    }

    public JsonObject ToJson()
    {
        // Property order follows the real server's output, which makes captured responses easy to compare.
        var json = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = Status,
        };
        if (Message is not null)
        {
            json["message"] = Message;
        }

        if (Reason is not null)
        {
            json["reason"] = Reason;
        }

        if (Details is not null)
        {
            json["details"] = Details.DeepClone();
        }

        if (Status != "Success")
        {
            json["code"] = Code;
        }

        return json;
    }

    public Task WriteAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.StatusCode = Code;
        response.ContentType = "application/json";
        return response.WriteAsync(ToJson().ToJsonString(LeaseJson.WireOptions) + "\n", cancellationToken);
    }

    private static ApiStatus Failure(int code, string message, string reason, JsonObject? details) =>
        new(code, "Failure", message, reason, details);

    private static JsonObject LeaseDetails(string name, string kind = LeaseResource) =>
        new() { ["name"] = name, ["group"] = LeaseGroup, ["kind"] = kind };
}
