using System.Text.Json;

namespace Synthetics.Probes.Kubernetes;

/// <summary>
/// Sits under every KubernetesClient the probes use and checks what comes back before the client deserializes it, so a
/// server that answers the health checks but not the API as Kubernetes does becomes <c>unexpected_body</c> with a message
/// saying what was wrong, never a <c>NullReferenceException</c> deep in the client or the elector. A successful answer must
/// be JSON (<c>application/json</c>); a plain call's body must be one complete JSON object with <c>kind</c> and
/// <c>apiVersion</c> (for Leases: the kind asked for); a watch is checked line by line by the client itself. Also turns a
/// handshake failed by <see cref="CertificateVerdict"/> into <see cref="CertificateRejectedException"/>, as in the network
/// probes. Every request gets a fresh <c>Audit-ID</c> from the run's <see cref="AuditTrail"/> (<paramref name="audit"/>
/// is asked per request: a kept client serves the runs after the one that created it).
/// </summary>
internal sealed class KubernetesAnswerCheck(CertificateVerdict verdict, Func<AuditTrail> audit) : DelegatingHandler
{
    // A Lease list of a canary namespace is a few kilobytes; past this the answer is not what we asked for.
    internal const int MaxBodyBytes = 4 * 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var trail = audit();
        var auditId = trail.Stamp(request);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex) when (verdict.Problem is { } problem)
        {
            throw new CertificateRejectedException(problem, ex);
        }

        trail.Answered(auditId, response.Headers);

        if (!response.IsSuccessStatusCode)
        {
            // KubernetesClient turns these into HttpOperationException with the status: classified as http_status/unauthorized.
            return response;
        }

        var what = $"{request.Method} {request.RequestUri?.AbsolutePath}";
        var status = (int)response.StatusCode;
        try
        {
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (!string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
            {
                throw new UnexpectedAnswerException(
                    $"{what} answered {status} with {(mediaType is null ? "no content type" : $"content type {Printable(mediaType)}")}, not Kubernetes JSON");
            }

            if (IsWatch(request))
            {
                return response;
            }

            await response.Content.LoadIntoBufferAsync(MaxBodyBytes, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            CheckObject(body, ExpectedKind(request), what, status);
            return response;
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            response.Dispose();
            throw new UnexpectedAnswerException($"{what} answered {status} with a body over {MaxBodyBytes / (1024 * 1024)} MiB", ex);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static void CheckObject(byte[] body, string? expectedKind, string what, int status)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("kind", out var kind) || kind.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("apiVersion", out var apiVersion) || apiVersion.ValueKind != JsonValueKind.String)
            {
                throw new UnexpectedAnswerException($"{what} answered {status} with JSON that is not a Kubernetes object (no kind and apiVersion)");
            }

            if (expectedKind is not null && kind.GetString() != expectedKind)
            {
                throw new UnexpectedAnswerException($"{what} answered {status} with a Kubernetes object that is not a {expectedKind}");
            }
        }
        catch (JsonException ex)
        {
            throw new UnexpectedAnswerException(
                body.Length == 0
                    ? $"{what} answered {status} with an empty body"
                    : $"{what} answered {status} with a body that is not valid JSON (truncated or garbage, {body.Length} bytes)",
                ex);
        }
    }

    private static bool IsWatch(HttpRequestMessage request) =>
        request.RequestUri?.Query.Contains("watch=true", StringComparison.OrdinalIgnoreCase) == true;

    // The probes only touch Leases: a GET of the collection is a list; a create, or anything on one Lease, is a Lease.
    private static string? ExpectedKind(HttpRequestMessage request)
    {
        var segments = request.RequestUri?.AbsolutePath.TrimEnd('/').Split('/') ?? [];
        return segments.Length switch
        {
            > 0 when segments[^1] == "leases" => request.Method == HttpMethod.Get ? "LeaseList" : "Lease",
            > 1 when segments[^2] == "leases" => "Lease",
            _ => null,
        };
    }

    // A media type comes from the server: keep it short and printable.
    private static string Printable(string value)
    {
        var clean = new string([.. value.Where(c => c is >= ' ' and <= '~').Take(60)]);
        return clean.Length == 0 ? "(unprintable)" : clean;
    }
}
