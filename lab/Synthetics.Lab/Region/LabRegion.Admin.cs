using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Synthetics.Lab.Faults;
using Synthetics.Lab.Kubernetes;
using Synthetics.Lab.Scenarios;

namespace Synthetics.Lab.Region;

public sealed partial class LabRegion
{
    private static readonly JsonSerializerOptions AdminJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>
    /// The admin app: <c>/admin/nodebalancers</c> (see <see cref="FaultAdminEndpoints"/>), <c>GET /admin/scenario</c>
    /// (the scenario, its steps and what has applied), <c>POST /admin/scenario/{name}</c> (switch; 404 unknown,
    /// 409 when it needs a restart) and <c>GET /admin/bystanders</c> (each cluster's bystander: leading or not, its
    /// first lost election, every acquisition and loss).
    /// </summary>
    private void MapAdmin(WebApplication app)
    {
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
