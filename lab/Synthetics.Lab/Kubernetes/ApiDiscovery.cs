using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Synthetics.Lab.Kubernetes;

/// <summary>
/// The API discovery documents kube-apiserver serves for what the lab serves (the core group with no resources,
/// <c>coordination.k8s.io/v1</c> with Leases), so real clients find their way: <c>kubectl get leases -A</c> reads
/// <c>/api</c>, <c>/apis</c> and the group's resource list before it lists anything. The legacy (unaggregated) documents:
/// kubectl asks for the aggregated form first and takes these when the server answers plain <c>application/json</c>.
/// </summary>
internal static class ApiDiscovery
{
    private const string Group = "coordination.k8s.io";
    private const string GroupVersion = Group + "/v1";

    // The group's name, versions and preferred version: the body of an APIGroup, also an entry of the APIGroupList.
    private const string GroupFields =
        "\"name\":\"" + Group + "\",\"versions\":[{\"groupVersion\":\"" + GroupVersion + "\",\"version\":\"v1\"}],"
        + "\"preferredVersion\":{\"groupVersion\":\"" + GroupVersion + "\",\"version\":\"v1\"}";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api", context => WriteAsync(context,
            "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\""
            + System.Text.Encodings.Web.JavaScriptEncoder.Default.Encode(context.Request.Host.ToString()) + "\"}]}"));
        routes.MapGet("/api/v1", context => WriteAsync(context,
            """{"kind":"APIResourceList","groupVersion":"v1","resources":[]}"""));
        routes.MapGet("/apis", context => WriteAsync(context,
            "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[{" + GroupFields + "}]}"));
        routes.MapGet("/apis/" + Group, context => WriteAsync(context,
            "{\"kind\":\"APIGroup\",\"apiVersion\":\"v1\"," + GroupFields + "}"));
        routes.MapGet("/apis/" + GroupVersion, context => WriteAsync(context,
            """
            {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"coordination.k8s.io/v1","resources":[
              {"name":"leases","singularName":"lease","namespaced":true,"kind":"Lease",
               "verbs":["create","delete","deletecollection","get","list","patch","update","watch"]}]}
            """));
    }

    private static Task WriteAsync(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json, context.RequestAborted);
    }
}
