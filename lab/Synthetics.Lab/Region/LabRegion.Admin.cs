using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Synthetics.Lab.Faults;
using Synthetics.Lab.Kubernetes;
using Synthetics.Lab.LinodeApi;
using Synthetics.Lab.StatusPage;
using Synthetics.Lab.Scenarios;

namespace Synthetics.Lab.Region;

public sealed partial class LabRegion
{
    private static readonly JsonSerializerOptions AdminJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>
    /// The admin app: <c>/admin/nodebalancers</c> (see <see cref="FaultAdminEndpoints"/>), <c>GET /admin/scenario</c>
    /// (the scenario, its steps and what has applied) and <c>POST /admin/scenario/{name}</c> (switch; 404 unknown,
    /// 409 when it needs a restart); the account: <c>POST /admin/linode/notifications</c> and <c>/admin/linode/events</c>
    /// (a notification or an event as JSON, camelCase fields of <see cref="AccountNotification"/> and
    /// <see cref="AccountEvent"/>); bad answers: <c>POST /admin/linode/fault/{mode}</c> and
    /// <c>/admin/statuspage/fault/{mode}</c> (<c>none</c>, <c>server-error</c>, <c>rate-limited</c>, <c>slow-answer</c>,
    /// <c>truncated-json</c>; the Linode API also <c>forbidden</c> and <c>wrong-shape</c>); and <c>GET /admin/bystanders</c> (each cluster's bystander: leading or not, its
    /// first lost election, every acquisition and loss).
    /// </summary>
    private void MapAdmin(WebApplication app)
    {
        app.MapPost("/admin/linode/notifications", (AccountNotification notification) =>
        {
            LinodeApi.Model.AddNotification(notification);
            return Results.Json(notification, AdminJson, statusCode: StatusCodes.Status201Created);
        });
        app.MapPost("/admin/linode/events", (AccountEvent accountEvent) =>
            Results.Json(LinodeApi.Model.AddEvent(accountEvent), AdminJson, statusCode: StatusCodes.Status201Created));
        app.MapPost("/admin/linode/fault/{mode}", (string mode) =>
        {
            switch (mode)
            {
                case "rate-limited":
                    LinodeApi.Fault = LinodeApiFault.None;
                    LinodeApi.RateLimitNext(int.MaxValue, 30);
                    break;
                case var named when ParseMode<LinodeApiFault>(named) is { } fault:
                    LinodeApi.RateLimitNext(0, 0);
                    LinodeApi.Fault = fault;
                    break;
                default:
                    return Results.Json(new { field = "mode", error = $"unknown Linode API fault '{mode}'" }, AdminJson, statusCode: StatusCodes.Status404NotFound);
            }

            return Results.Json(new { linodeApi = mode }, AdminJson);
        });
        app.MapPost("/admin/statuspage/fault/{mode}", (string mode) =>
        {
            if (ParseMode<StatusPageFault>(mode) is not { } fault)
            {
                return Results.Json(new { field = "mode", error = $"unknown status page fault '{mode}'" }, AdminJson, statusCode: StatusCodes.Status404NotFound);
            }

            StatusPage.Fault = fault;
            return Results.Json(new { statusPage = mode }, AdminJson);
        });
        app.MapFaultAdmin(_nodeBalancers);
        app.MapGet("/admin/bystanders", () => Results.Json(DescribeBystanders(), AdminJson));
        app.MapGet("/admin/scenario", () => Results.Json(DescribeScenario(), AdminJson));
        app.MapPost("/admin/scenario/{name}", async (string name, CancellationToken cancellationToken) =>
        {
            if (!LabScenarios.IsKnown(name))
            {
                return Results.Json(
                    new { field = "name", error = LabScenarios.Unknown(name).Message }, AdminJson, statusCode: StatusCodes.Status404NotFound);
            }

            try
            {
                await SwitchScenarioAsync(name, cancellationToken);
            }
            catch (InvalidOperationException ex)
            {
                return Results.Json(new { field = "name", error = ex.Message }, AdminJson, statusCode: StatusCodes.Status409Conflict);
            }

            return Results.Json(DescribeScenario(), AdminJson);
        });
    }

    /// <summary>A mode in kebab case (<c>server-error</c>) as the enum's value (<c>ServerError</c>); null when there is none.</summary>
    private static T? ParseMode<T>(string mode)
        where T : struct, Enum =>
        Enum.TryParse<T>(mode.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var value) && Enum.IsDefined(value) ? value : null;

    private object DescribeBystanders() => _bystanders.Select(bystander => new
    {
        cluster = bystander.Cluster,
        region = bystander.LinodeRegion,
        lease = $"{bystander.Options.Namespace}/{bystander.Options.LeaseName}",
        vantage = BystanderOptions.InClusterVantage,
        leaseDuration = bystander.Options.Scaled(bystander.Options.LeaseDuration),
        renewDeadline = bystander.Options.Scaled(bystander.Options.RenewDeadline),
        retryPeriod = bystander.Options.Scaled(bystander.Options.RetryPeriod),
        leading = bystander.IsLeading,
        firstLostLease = bystander.FirstLostLease,
        events = bystander.Events,
    });

    private object DescribeScenario()
    {
        var run = CurrentRun;
        var applied = AppliedScenarioSteps;
        var elapsed = TimeProvider.GetUtcNow() - run.StartedAt;
        return new
        {
            name = run.Name,
            description = LabScenarios.Describe(run.Name),
            startedAt = run.StartedAt,
            elapsed,
            onset = _options.ScenarioOptions.Onset,
            timeScale = _options.ScenarioOptions.TimeScale,
            steps = run.Steps.Select(step => new
            {
                at = step.At,
                duration = step.Duration,
                description = step.Description,
                state = elapsed < step.At ? "pending" : step.Duration is { } d && elapsed < step.At + d ? "active" : "done",
            }),
            applied,
            known = LabScenarios.Names,
        };
    }
}
