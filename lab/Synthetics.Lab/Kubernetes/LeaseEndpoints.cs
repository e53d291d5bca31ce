using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Synthetics.Lab.Kubernetes;

/// <summary>The <c>coordination.k8s.io/v1</c> Lease resource over HTTP: CRUD, patch and watch.</summary>
internal sealed class LeaseEndpoints
{
    private const string ClusterPath = "/apis/coordination.k8s.io/v1/leases";
    private const string NamespacedPath = "/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases";
    private const string ItemPath = NamespacedPath + "/{name}";

    private readonly LeaseStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _defaultWatchTimeout;
    private readonly CancellationToken _stopping;

    public LeaseEndpoints(LeaseStore store, TimeProvider time, TimeSpan defaultWatchTimeout, CancellationToken stopping)
    {
        _store = store;
        _time = time;
        _defaultWatchTimeout = defaultWatchTimeout;
        _stopping = stopping;
    }

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(ClusterPath, context => ListOrWatchAsync(context, namespaceName: null));
        routes.MapGet(NamespacedPath, context => ListOrWatchAsync(context, Route(context, "namespace")));
        routes.MapPost(NamespacedPath, CreateAsync);
        routes.MapGet(ItemPath, GetAsync);
        routes.MapPut(ItemPath, ReplaceAsync);
        routes.MapPatch(ItemPath, PatchAsync);
        routes.MapDelete(ItemPath, DeleteAsync);
    }

    private static string Route(HttpContext context, string key) => (string)context.GetRouteValue(key)!;

    private async Task ListOrWatchAsync(HttpContext context, string? namespaceName)
    {
        var query = context.Request.Query;
        var selector = LeaseSelector.Parse(query["fieldSelector"], query["labelSelector"], out var selectorError);
        if (selector is null)
        {
            await ApiStatus.BadRequest(selectorError!).WriteAsync(context.Response, context.RequestAborted);
            return;
        }

        if (query["watch"].ToString() is "true" or "1")
        {
            await WatchAsync(context, namespaceName, selector);
            return;
        }

        var (items, resourceVersion) = _store.List(namespaceName, selector);
        await WriteJsonAsync(context, 200, LeaseJson.ListToJson(items, resourceVersion));
    }

    private async Task GetAsync(HttpContext context)
    {
        var name = Route(context, "name");
        if (_store.Get(Route(context, "namespace"), name) is { } lease)
        {
            await WriteJsonAsync(context, 200, LeaseJson.ToJson(lease, includeTypeMeta: true));
            return;
        }

        await ApiStatus.NotFound(name).WriteAsync(context.Response, context.RequestAborted);
    }

    private async Task CreateAsync(HttpContext context)
    {
        var (lease, error) = await ReadLeaseAsync(context);
        await WriteResultAsync(context, error is null ? _store.Create(Route(context, "namespace"), lease!) : LeaseResult.Fail(error));
    }

    private async Task ReplaceAsync(HttpContext context)
    {
        var (lease, error) = await ReadLeaseAsync(context);
        await WriteResultAsync(
            context,
            error is null ? _store.Replace(Route(context, "namespace"), Route(context, "name"), lease!) : LeaseResult.Fail(error));
    }

    private async Task PatchAsync(HttpContext context)
    {
        var name = Route(context, "name");
        var mediaType = (context.Request.ContentType ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant();
        Func<JsonObject, JsonNode?, (JsonNode? Patched, string? Error)>? apply = mediaType switch
        {
            "application/merge-patch+json" or "application/strategic-merge-patch+json" =>
                (current, patch) => (MergePatch.Apply(current, patch), null),
            "application/json-patch+json" =>
                (current, patch) => (JsonPatch.Apply(current, patch, out var error), error),
            _ => null,
        };
        if (apply is null)
        {
            await ApiStatus.UnsupportedMediaType(mediaType).WriteAsync(context.Response, context.RequestAborted);
            return;
        }

        var (patch, parseError) = await ReadBodyAsync(context);
        if (parseError is not null)
        {
            await WriteResultAsync(context, LeaseResult.Fail(parseError));
            return;
        }

        var result = _store.Patch(Route(context, "namespace"), name, current =>
        {
            var (patched, error) = apply(LeaseJson.ToJson(current, includeTypeMeta: true), patch);
            if (error is not null)
            {
                return LeaseResult.Fail(ApiStatus.Invalid(name, error));
            }

            var lease = LeaseJson.Read(patched, out var readError);
            return lease is null ? LeaseResult.Fail(ApiStatus.Invalid(name, readError!)) : new LeaseResult(lease, null);
        });
        await WriteResultAsync(context, result);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        var name = Route(context, "name");
        string? expectedResourceVersion = null;
        string? expectedUid = null;
        var (options, _) = await ReadBodyAsync(context);
        if (options?["preconditions"] is JsonObject preconditions)
        {
            expectedResourceVersion = preconditions["resourceVersion"]?.ToString();
            expectedUid = preconditions["uid"]?.ToString();
        }

        var result = _store.Delete(Route(context, "namespace"), name, expectedResourceVersion, expectedUid);
        var status = result.Error ?? ApiStatus.Deleted(name, result.Lease!.Metadata.Uid);
        await status.WriteAsync(context.Response, context.RequestAborted);
    }

    private async Task WatchAsync(HttpContext context, string? namespaceName, LeaseSelector selector)
    {
        var query = context.Request.Query;
        long? fromResourceVersion = null;
        if (!string.IsNullOrEmpty(query["resourceVersion"]))
        {
            if (!long.TryParse(query["resourceVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                await ApiStatus.BadRequest($"invalid resource version: {query["resourceVersion"]}")
                    .WriteAsync(context.Response, context.RequestAborted);
                return;
            }

            fromResourceVersion = parsed;
        }

        var timeout = _defaultWatchTimeout;
        if (int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            timeout = TimeSpan.FromSeconds(seconds);
        }

        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-cache, private";

        var (watch, gone) = _store.Watch(namespaceName, selector, fromResourceVersion);
        using var timeoutSource = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, context.RequestAborted, _stopping);
        try
        {
            // Headers go out at once: clients return from the list call only when they arrive.
            await response.StartAsync(linked.Token);
            await response.Body.FlushAsync(linked.Token);
            if (gone is not null)
            {
                // An expired resourceVersion is reported inside the stream, as an ERROR event, like the real server.
                await WriteEventAsync(response, "ERROR", gone.ToJson(), linked.Token);
                return;
            }

            using (watch)
            {
                await foreach (var change in watch!.Events.ReadAllAsync(linked.Token))
                {
                    await WriteEventAsync(response, change.Type, LeaseJson.ToJson(change.Lease, includeTypeMeta: true), linked.Token);
                }
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // Timeout, client gone or server stopping: the stream simply ends, which clients treat as a normal close.
        }
        catch (IOException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away mid-write.
        }
        finally
        {
            watch?.Dispose();
        }
    }

    private static async Task WriteEventAsync(HttpResponse response, string type, JsonObject obj, CancellationToken cancellationToken)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = obj }.ToJsonString(LeaseJson.WireOptions) + "\n";
        await response.WriteAsync(line, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static async Task WriteResultAsync(HttpContext context, LeaseResult result)
    {
        if (result.Error is { } error)
        {
            await error.WriteAsync(context.Response, context.RequestAborted);
            return;
        }

        await WriteJsonAsync(context, result.Created ? 201 : 200, LeaseJson.ToJson(result.Lease!, includeTypeMeta: true));
    }

    private static Task WriteJsonAsync(HttpContext context, int statusCode, JsonObject body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString(LeaseJson.WireOptions) + "\n", context.RequestAborted);
    }

    private static async Task<(V1Lease? Lease, ApiStatus? Error)> ReadLeaseAsync(HttpContext context)
    {
        var (body, error) = await ReadBodyAsync(context);
        if (error is not null)
        {
            return (null, error);
        }

        var lease = LeaseJson.Read(body, out var readError);
        return lease is null ? (null, ApiStatus.BadRequest(readError!)) : (lease, null);
    }

    private static async Task<(JsonNode? Body, ApiStatus? Error)> ReadBodyAsync(HttpContext context)
    {
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            if (buffer.Length == 0)
            {
                return (null, null);
            }

            buffer.Position = 0;
            return (await JsonNode.ParseAsync(buffer, cancellationToken: context.RequestAborted), null);
        }
        catch (JsonException ex)
        {
            return (null, ApiStatus.BadRequest($"the request body is not valid JSON: {ex.Message}"));
        }
    }
}
