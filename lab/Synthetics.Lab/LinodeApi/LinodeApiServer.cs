using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Synthetics.Lab.Hosting;

namespace Synthetics.Lab.LinodeApi;

/// <summary>
/// The subset of the Linode API v4 a monitor reads (LKE clusters, their api-endpoints and kubeconfig,
/// NodeBalancers, configs, nodes, regions, a cluster's control-plane ACL, the account's notifications and events) over plain HTTP on 127.0.0.1, served from a
/// <see cref="LinodeApiModel"/>. Bearer auth, Linode pagination and error bodies, <c>X-Filter</c> on tags for the
/// cluster and NodeBalancer lists and on the events' filterable fields (<see cref="EventFilter"/>), 429 on demand, and the bad answers of <see cref="LinodeApiFault"/>.
/// </summary>
public sealed class LinodeApiServer : IAsyncDisposable
{
    /// <summary>Default page size, as the real API.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>Smallest page size the API accepts.</summary>
    public const int MinPageSize = 25;

    /// <summary>Largest page size the API accepts.</summary>
    public const int MaxPageSize = 500;

    private readonly byte[] _token;
    private readonly TimeProvider _time;
    private LoopbackWebApp? _app;
    private volatile LinodeApiFault _fault;
    private long _slowAnswerTicks = TimeSpan.FromSeconds(30).Ticks;
    private int _rateLimitedRequestsLeft;
    private int _retryAfterSeconds;
    private int _requestCount;

    /// <param name="model">The data served; changes show up on the next request.</param>
    /// <param name="token">The personal access token clients must send as <c>Authorization: Bearer</c>.</param>
    /// <param name="time">The clock of <see cref="LinodeApiFault.SlowAnswer"/>; default the system's.</param>
    public LinodeApiServer(LinodeApiModel model, string token, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        Model = model;
        _token = Encoding.UTF8.GetBytes(token);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// How every authorized request is answered from now on (default <see cref="LinodeApiFault.None"/>). Rate limiting
    /// and a wrong token still come first, as on the real API.
    /// </summary>
    public LinodeApiFault Fault
    {
        get => _fault;
        set => _fault = value;
    }

    /// <summary>How long <see cref="LinodeApiFault.SlowAnswer"/> holds each answer. Default 30 s.</summary>
    public TimeSpan SlowAnswerDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _slowAnswerTicks));
        set => Interlocked.Exchange(ref _slowAnswerTicks, value.Ticks);
    }

    public LinodeApiModel Model { get; }

    /// <summary>The root to put <c>v4/…</c> under, e.g. <c>http://127.0.0.1:41234/</c>. Set by <see cref="StartAsync"/>.</summary>
    public Uri BaseAddress => _app?.BaseAddress ?? throw new InvalidOperationException("The server has not been started.");

    /// <summary>Requests received so far, including refused ones.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>
    /// Answers the next <paramref name="requests"/> requests with 429 and <c>Retry-After: retryAfterSeconds</c>,
    /// as the API does when a token exceeds its rate limit. Replaces any earlier arming.
    /// </summary>
    public void RateLimitNext(int requests, int retryAfterSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(requests);
        ArgumentOutOfRangeException.ThrowIfNegative(retryAfterSeconds);
        Volatile.Write(ref _retryAfterSeconds, retryAfterSeconds);
        Volatile.Write(ref _rateLimitedRequestsLeft, requests);
    }

    /// <summary>Starts listening on 127.0.0.1 with an OS-assigned port and returns once it accepts connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The server is already started.");
        }

        _app = await LoopbackWebApp.StartAsync(
            app =>
            {
                app.Use(GuardAsync);
                MapRoutes(app);
            },
            cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
    }

    // Rate limiting comes before auth: the real API counts requests per client before it looks at them.
    private async Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        Interlocked.Increment(ref _requestCount);
        if (TryTakeRateLimitedRequest())
        {
            context.Response.Headers.RetryAfter = Volatile.Read(ref _retryAfterSeconds).ToString(CultureInfo.InvariantCulture);
            await Json(LinodeWire.Errors("Too many requests"), StatusCodes.Status429TooManyRequests).ExecuteAsync(context);
            return;
        }

        if (!IsAuthorized(context.Request))
        {
            await Json(LinodeWire.Errors("Invalid Token"), StatusCodes.Status401Unauthorized).ExecuteAsync(context);
            return;
        }

        switch (_fault)
        {
            case LinodeApiFault.Forbidden:
                await Json(LinodeWire.Errors("Your OAuth token is not authorized to use this endpoint."), StatusCodes.Status403Forbidden).ExecuteAsync(context);
                return;
            case LinodeApiFault.ServerError:
                await Json(LinodeWire.Errors("Internal Server Error"), StatusCodes.Status500InternalServerError).ExecuteAsync(context);
                return;
            case LinodeApiFault.TruncatedJson:
                await Results.Content("{\"data\": [{\"id\": 1, \"label\": \"trunc", "application/json", Encoding.UTF8).ExecuteAsync(context);
                return;
            case LinodeApiFault.WrongShape:
                await Results.Content("{\"data\": \"not a list\", \"page\": 1}", "application/json", Encoding.UTF8).ExecuteAsync(context);
                return;
            case LinodeApiFault.SlowAnswer:
                if (!await Hosting.SlowAnswer.WaitAsync(SlowAnswerDelay, _time, context))
                {
                    return; // the client gave up
                }

                break;
        }

        await next(context);
    }

    private bool TryTakeRateLimitedRequest()
    {
        while (true)
        {
            var left = Volatile.Read(ref _rateLimitedRequestsLeft);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _rateLimitedRequestsLeft, left - 1, left) == left)
            {
                return true;
            }
        }
    }

    private bool IsAuthorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Fixed-time comparison: the lab should not teach a timing side channel.
        var presented = Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(presented, _token);
    }

    private void MapRoutes(WebApplication app)
    {
        app.MapGet("/v4/lke/clusters", (HttpRequest request) =>
            TagFilter.TryParse(request, out var tags)
                ? Paged(request, Model.Clusters.Where(c => tags.Matches(c.Tags)).Select(LinodeWire.Cluster))
                : Json(LinodeWire.Errors("Cannot filter on this field", "X-Filter"), StatusCodes.Status400BadRequest));

        app.MapGet("/v4/lke/clusters/{clusterId}", (string clusterId) =>
            FindCluster(clusterId) is { } cluster ? Json(LinodeWire.Cluster(cluster)) : NotFound());

        app.MapGet("/v4/lke/clusters/{clusterId}/api-endpoints", (HttpRequest request, string clusterId) =>
            FindCluster(clusterId) is { } cluster
                ? Paged(request, cluster.ApiEndpoints.Select(LinodeWire.ApiEndpoint))
                : NotFound());

        app.MapGet("/v4/lke/clusters/{clusterId}/control_plane_acl", (string clusterId) =>
        {
            if (FindCluster(clusterId) is not { } cluster)
            {
                return NotFound();
            }

            return cluster.Acl is { } acl
                ? Json(new JsonObject { ["acl"] = LinodeWire.Acl(acl) })
                : Json(LinodeWire.Errors("Cluster does not support Control Plane ACL.", "acl"), StatusCodes.Status400BadRequest);
        });

        app.MapGet("/v4/lke/clusters/{clusterId}/kubeconfig", (string clusterId) =>
        {
            if (FindCluster(clusterId) is not { } cluster)
            {
                return NotFound();
            }

            // A cluster that is still provisioning has no kubeconfig yet; the API says so with 503.
            return cluster.KubeconfigYaml.Length == 0
                ? Json(LinodeWire.Errors("Cluster kubeconfig is not yet available. Please try again later."), StatusCodes.Status503ServiceUnavailable)
                : Json(new JsonObject { ["kubeconfig"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(cluster.KubeconfigYaml)) });
        });

        app.MapGet("/v4/nodebalancers", (HttpRequest request) =>
            TagFilter.TryParse(request, out var tags)
                ? Paged(request, Model.NodeBalancers.Where(n => tags.Matches(n.Tags)).Select(LinodeWire.NodeBalancer))
                : Json(LinodeWire.Errors("Cannot filter on this field", "X-Filter"), StatusCodes.Status400BadRequest));

        app.MapGet("/v4/nodebalancers/{nodeBalancerId}", (string nodeBalancerId) =>
            FindNodeBalancer(nodeBalancerId) is { } nodeBalancer ? Json(LinodeWire.NodeBalancer(nodeBalancer)) : NotFound());

        app.MapGet("/v4/nodebalancers/{nodeBalancerId}/configs", (HttpRequest request, string nodeBalancerId) =>
            FindNodeBalancer(nodeBalancerId) is { } nodeBalancer
                ? Paged(request, Model.ConfigsOf(nodeBalancer.Id).Select(c => LinodeWire.Config(c, Model.NodesOf(c.Id))))
                : NotFound());

        app.MapGet("/v4/nodebalancers/{nodeBalancerId}/configs/{configId}/nodes", (HttpRequest request, string nodeBalancerId, string configId) =>
            FindConfig(nodeBalancerId, configId) is { } config
                ? Paged(request, Model.NodesOf(config.Id).Select(LinodeWire.Node))
                : NotFound());

        app.MapGet("/v4/account/notifications", (HttpRequest request) =>
            Paged(request, Model.Notifications.Select(LinodeWire.Notification)));

        app.MapGet("/v4/account/events", (HttpRequest request) =>
            EventFilter.TryParse(request, out var filter, out var field)
                ? Paged(request, filter.Apply(Model.Events).Select(LinodeWire.Event))
                : Json(LinodeWire.Errors("Cannot filter on this field", field), StatusCodes.Status400BadRequest));

        app.MapGet("/v4/regions", (HttpRequest request) =>
            Paged(request, Model.Regions.Select(LinodeWire.Region)));

        app.MapFallback(NotFound);
    }

    private LkeCluster? FindCluster(string clusterId) =>
        long.TryParse(clusterId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? Model.FindCluster(id) : null;

    private NodeBalancer? FindNodeBalancer(string nodeBalancerId) =>
        long.TryParse(nodeBalancerId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? Model.FindNodeBalancer(id) : null;

    private NodeBalancerConfig? FindConfig(string nodeBalancerId, string configId) =>
        long.TryParse(nodeBalancerId, NumberStyles.None, CultureInfo.InvariantCulture, out var nb)
        && long.TryParse(configId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? Model.FindConfig(nb, id)
            : null;

    /// <summary>
    /// Linode pagination: <c>page</c> from 1, <c>page_size</c> 25..500 (default 100); the envelope has
    /// <c>data</c>, <c>page</c>, <c>pages</c> (at least 1) and <c>results</c>. A page past the end is empty.
    /// </summary>
    private static IResult Paged(HttpRequest request, IEnumerable<JsonObject> items)
    {
        var page = 1;
        if (request.Query.TryGetValue("page", out var pageText)
            && (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            return Json(LinodeWire.Errors("Must be a positive integer", "page"), StatusCodes.Status400BadRequest);
        }

        var pageSize = DefaultPageSize;
        if (request.Query.TryGetValue("page_size", out var sizeText)
            && (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize)
                || pageSize is < MinPageSize or > MaxPageSize))
        {
            return Json(LinodeWire.Errors($"Must be {MinPageSize}-{MaxPageSize}", "page_size"), StatusCodes.Status400BadRequest);
        }

        var all = items.ToArray();
        var pages = Math.Max(1, (all.Length + pageSize - 1) / pageSize);
        var data = new JsonArray(all.Skip((page - 1) * pageSize).Take(pageSize).Select(i => (JsonNode?)i).ToArray());
        return Json(new JsonObject
        {
            ["data"] = data,
            ["page"] = page,
            ["pages"] = pages,
            ["results"] = all.Length,
        });
    }

    private static IResult NotFound() => Json(LinodeWire.Errors("Not found"), StatusCodes.Status404NotFound);

    private static IResult Json(JsonNode body, int statusCode = StatusCodes.Status200OK) =>
        Results.Content(body.ToJsonString(), "application/json", Encoding.UTF8, statusCode);
}
