using System.Text.Json;
using Synthetics.Results;
using Synthetics.Targets;

namespace Synthetics.Probes;

/// <summary>
/// Asks the API server itself how it is: <c>/readyz?verbose</c>, <c>/livez?verbose</c> and <c>/version</c>
/// with the kubeconfig's credentials, on one fresh connection. Failing checks (<c>[-]etcd failed: …</c>)
/// become <c>details.failedChecks</c> and the outcome <c>unhealthy</c>. Phases are those of the first request. A 200 that
/// is not what the API server sends (no verbose check lines, a body past 64 KiB, a <c>/version</c> without
/// <c>gitVersion</c>) is <c>unexpected_body</c>. Three requests per run, never retried, each with its own Audit-ID.
/// </summary>
internal sealed class KubeHealthProbe : IProbe
{
    private const int MaxHealthBodyBytes = 64 * 1024;

    public string Name => "kube-health";

    public bool AppliesTo(TargetKind kind, TargetEndpoint endpoint) => kind == TargetKind.KubernetesApi;

    public async ValueTask<ProbeObservation> RunAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        var credentials = context.Target.Kubernetes
            ?? throw new InvalidOperationException($"Target '{context.Target.Name}' has no Kubernetes credentials.");
        var headers = new List<KeyValuePair<string, string>> { new("Accept", "application/json, text/plain, */*") };
        if (credentials.BearerToken is { } token)
        {
            headers.Add(new("Authorization", $"Bearer {token}"));
        }

        var basePath = credentials.Server.AbsolutePath.TrimEnd('/');
        using var exchange = new HttpExchange(context, cancellationToken);

        var readyz = await exchange.GetAsync($"{basePath}/readyz?verbose", headers, MaxHealthBodyBytes, MaxHealthBodyBytes, null, cancellationToken, context.Audit);
        context.SetDetail("readyzStatus", readyz.StatusCode);
        if (readyz.StatusCode is 401 or 403)
        {
            return Refused(readyz.StatusCode);
        }

        if (NotHealthFormat("readyz", readyz) is { } readyzWrong)
        {
            return readyzWrong;
        }

        var livez = await exchange.GetAsync($"{basePath}/livez?verbose", headers, MaxHealthBodyBytes, MaxHealthBodyBytes, null, cancellationToken, context.Audit);
        context.SetDetail("livezStatus", livez.StatusCode);
        context.SetDetail("livezMs", Math.Round(livez.TotalMs, 3));
        if (livez.StatusCode is 401 or 403)
        {
            return Refused(livez.StatusCode);
        }

        if (NotHealthFormat("livez", livez) is { } livezWrong)
        {
            return livezWrong;
        }

        var version = await exchange.GetAsync($"{basePath}/version", headers, MaxHealthBodyBytes, MaxHealthBodyBytes, null, cancellationToken, context.Audit);
        context.SetDetail("versionMs", Math.Round(version.TotalMs, 3));
        if (version.StatusCode == 200 && ParseGitVersion(version.Text) is { } gitVersion)
        {
            context.SetDetail("serverVersion", gitVersion);
        }

        var failed = HealthCheckParser.FailedChecks(readyz.Text)
            .Concat(HealthCheckParser.FailedChecks(livez.Text))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        if (failed.Length > 0)
        {
            context.SetDetail("failedChecks", failed);
        }

        if (readyz.StatusCode != 200 || livez.StatusCode != 200)
        {
            var status = readyz.StatusCode != 200 ? readyz.StatusCode : livez.StatusCode;
            return failed.Length > 0
                ? new ProbeObservation(ProbeOutcome.Unhealthy)
                {
                    StatusCode = status,
                    Message = $"{(readyz.StatusCode != 200 ? "readyz" : "livez")} failing: {string.Join(", ", failed)}",
                }
                : new ProbeObservation(ProbeOutcome.HttpStatus)
                {
                    StatusCode = status,
                    Message = $"readyz {readyz.StatusCode}, livez {livez.StatusCode}",
                };
        }

        if (version.StatusCode is 401 or 403)
        {
            return Refused(version.StatusCode);
        }

        if (version.StatusCode == 200 && !context.Details.ContainsKey("serverVersion"))
        {
            return new ProbeObservation(ProbeOutcome.UnexpectedBody)
            {
                StatusCode = version.StatusCode,
                Message = "/version answered 200 with something that is not a version object (no gitVersion)",
            };
        }

        var expiring = CertificateExpiry.Check(context);
        return (expiring ?? ProbeObservation.Ok) with { StatusCode = readyz.StatusCode };
    }

    // Failing endpoints answer 500 with check lines too; any answer must be the health format, not a proxy's page.
    private static ProbeObservation? NotHealthFormat(string endpoint, HttpExchangeResponse response)
    {
        if (response.StatusCode is 401 or 403)
        {
            return null;
        }

        if (response.Truncated)
        {
            return new ProbeObservation(ProbeOutcome.UnexpectedBody)
            {
                StatusCode = response.StatusCode,
                Message = $"{endpoint} answered {response.StatusCode} with a body over {MaxHealthBodyBytes / 1024} KiB, not the health check list",
            };
        }

        return response.StatusCode == 200 && !HealthCheckParser.IsVerboseHealth(response.Text)
            ? new ProbeObservation(ProbeOutcome.UnexpectedBody)
            {
                StatusCode = response.StatusCode,
                Message = $"{endpoint} answered 200 without the verbose health check lines",
            }
            : null;
    }

    private static ProbeObservation Refused(int status) => new(ProbeOutcome.Unauthorized)
    {
        StatusCode = status,
        Message = $"the API server refused the kubeconfig's credentials ({status})",
    };

    private static string? ParseGitVersion(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("gitVersion", out var value)
                   && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
