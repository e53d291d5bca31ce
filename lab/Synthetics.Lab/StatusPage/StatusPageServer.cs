using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Synthetics.Lab.Hosting;

namespace Synthetics.Lab.StatusPage;

/// <summary>
/// status.linode.com's public Statuspage v2 JSON over plain HTTP on 127.0.0.1, served from a
/// <see cref="StatusPageModel"/>: <c>/api/v2/summary.json</c>, <c>components.json</c>,
/// <c>incidents/unresolved.json</c>, <c>scheduled-maintenances.json</c>, <c>scheduled-maintenances/upcoming.json</c> and
/// <c>active.json</c>; and, on demand, the bad answers of <see cref="StatusPageFault"/>.
/// </summary>
public sealed class StatusPageServer : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private LoopbackWebApp? _app;
    private volatile StatusPageFault _fault;
    private long _slowAnswerTicks = TimeSpan.FromSeconds(30).Ticks;

    /// <param name="model">The page served; changes show up on the next request. Default: a fresh all-operational page.</param>
    /// <param name="timeProvider">For the default model and the clock of <see cref="StatusPageFault.SlowAnswer"/>; default the system's.</param>
    public StatusPageServer(StatusPageModel? model = null, TimeProvider? timeProvider = null)
    {
        Model = model ?? new StatusPageModel(timeProvider);
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>How every request is answered from now on (default <see cref="StatusPageFault.None"/>).</summary>
    public StatusPageFault Fault
    {
        get => _fault;
        set => _fault = value;
    }

    /// <summary>How long <see cref="StatusPageFault.SlowAnswer"/> holds each answer. Default 30 s.</summary>
    public TimeSpan SlowAnswerDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _slowAnswerTicks));
        set => Interlocked.Exchange(ref _slowAnswerTicks, value.Ticks);
    }

    /// <summary>The <c>Retry-After</c> of <see cref="StatusPageFault.RateLimited"/>, in seconds. Default 60.</summary>
    public int RetryAfterSeconds { get; set; } = 60;

    public StatusPageModel Model { get; }

    /// <summary>The page root, e.g. <c>http://127.0.0.1:41234/</c>; the API is under <c>api/v2/</c>. Set by <see cref="StartAsync"/>.</summary>
    public Uri BaseAddress => _app?.BaseAddress ?? throw new InvalidOperationException("The server has not been started.");

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
                app.Use(MisbehaveAsync);
                app.MapGet("/api/v2/summary.json", () => Json(Model.SummaryJson()));
                app.MapGet("/api/v2/components.json", () => Json(Model.ComponentsJson()));
                app.MapGet("/api/v2/incidents/unresolved.json", () => Json(Model.UnresolvedIncidentsJson()));
                app.MapGet("/api/v2/scheduled-maintenances.json", () => Json(Model.RecentMaintenancesJson()));
                app.MapGet("/api/v2/scheduled-maintenances/upcoming.json", () => Json(Model.MaintenancesJson(active: false)));
                app.MapGet("/api/v2/scheduled-maintenances/active.json", () => Json(Model.MaintenancesJson(active: true)));
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

    private async Task MisbehaveAsync(HttpContext context, RequestDelegate next)
    {
        switch (_fault)
        {
            case StatusPageFault.ServerError:
                await Results.Content("<html><body><h1>500 Internal Server Error</h1></body></html>", "text/html", Encoding.UTF8, StatusCodes.Status500InternalServerError).ExecuteAsync(context);
                return;
            case StatusPageFault.RateLimited:
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Results.Content("Too Many Requests", "text/plain", Encoding.UTF8, StatusCodes.Status429TooManyRequests).ExecuteAsync(context);
                return;
            case StatusPageFault.TruncatedJson:
                await Results.Content("{\"page\":{\"id\":\"lab\"},\"scheduled_maintenances\":[{\"id\":\"tr", "application/json", Encoding.UTF8).ExecuteAsync(context);
                return;
            case StatusPageFault.SlowAnswer:
                if (!await Hosting.SlowAnswer.WaitAsync(SlowAnswerDelay, _time, context))
                {
                    return; // the client gave up
                }

                break;
        }

        await next(context);
    }

    private static IResult Json(JsonNode body) =>
        Results.Content(body.ToJsonString(), "application/json", Encoding.UTF8, StatusCodes.Status200OK);
}
