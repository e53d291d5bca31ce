using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Synthetics.Lab.Kubernetes;

public sealed partial class LabKubernetesApi
{
    private void MapHealth(IEndpointRouteBuilder routes)
    {
        foreach (var endpoint in new[] { "readyz", "livez", "healthz" })
        {
            routes.MapGet("/" + endpoint, context =>
            {
                var query = context.Request.Query;
                var excluded = query["exclude"].Where(e => !string.IsNullOrEmpty(e)).Select(e => e!).ToHashSet(StringComparer.Ordinal);
                var (status, body) = _health.Render(endpoint, query.ContainsKey("verbose"), excluded);
                return WriteTextAsync(context, status, body);
            });
            routes.MapGet("/" + endpoint + "/{**check}", context =>
            {
                var (status, body) = _health.RenderOne(endpoint, (string)context.GetRouteValue("check")!);
                return WriteTextAsync(context, status, body);
            });
        }

        routes.MapGet("/version", context =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(Version.ToJson(), context.RequestAborted);
        });
    }

    private static Task WriteTextAsync(HttpContext context, int statusCode, string body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }
}
