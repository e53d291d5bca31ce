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
/// <c>active.json</c>.
/// </summary>
public sealed class StatusPageServer : IAsyncDisposable
{
    private LoopbackWebApp? _app;

    /// <param name="model">The page served; changes show up on the next request. Default: a fresh all-operational page.</param>
    /// <param name="timeProvider">For the default model; ignored when <paramref name="model"/> is given.</param>
    public StatusPageServer(StatusPageModel? model = null, TimeProvider? timeProvider = null)
    {
        Model = model ?? new StatusPageModel(timeProvider);
    }

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

    private static IResult Json(JsonNode body) =>
        Results.Content(body.ToJsonString(), "application/json", Encoding.UTF8, StatusCodes.Status200OK);
}
