using System.Globalization;
using System.Net;
using System.Web;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.Logging;
using Synthetics.Explain;

namespace Synthetics.Functions;

/// <summary>
/// <c>GET /api/evidence?incident=ID|region=R|target=NAME[&amp;from=T&amp;to=T][&amp;format=html|md|json]</c>, with a
/// function key (<c>code=</c> or the <c>x-functions-key</c> header): the same report as the CLI's <c>evidence</c>
/// command, from the same <see cref="IEvidenceSource"/>. 400 with one line for a request that names nothing, two things,
/// an unknown incident or target, or a bad time; 200 with the report otherwise.
/// </summary>
internal sealed partial class EvidenceFunction(IEvidenceSource evidence, ILogger<EvidenceFunction> logger)
{
    [Function("Evidence")]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "evidence")] HttpRequestData request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = HttpUtility.ParseQueryString(request.Url.Query);
        var formatName = query["format"] ?? "html";
        if (!EvidenceRenderer.TryParse(formatName, out var format))
        {
            return await TextAsync(request, HttpStatusCode.BadRequest, "format is html, md or json");
        }

        if (!EvidenceRequest.TryParseTime(query["from"], out var from) || !EvidenceRequest.TryParseTime(query["to"], out var to))
        {
            return await TextAsync(request, HttpStatusCode.BadRequest, "from and to are ISO 8601 times, e.g. 2026-03-12T14:00:00Z");
        }

        EvidenceReport report;
        try
        {
            report = await evidence.BuildAsync(
                new EvidenceRequest { IncidentId = query["incident"], Region = query["region"], Target = query["target"], From = from, To = to }, cancellationToken);
        }
        catch (EvidenceRequestException ex)
        {
            return await TextAsync(request, HttpStatusCode.BadRequest, ex.Message);
        }

        LogServed(logger, report.Title, report.FailedAttempts.Count, formatName);
        var response = request.CreateResponse(HttpStatusCode.OK);
        response.Headers.Add("Content-Type", EvidenceRenderer.ContentType(format));
        response.Headers.Add("X-Content-Type-Options", "nosniff");
        // The HTML is self-contained: nothing to load, no script to run, even if a message slipped through encoding.
        response.Headers.Add("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
        response.Headers.Add("Content-Disposition", string.Create(CultureInfo.InvariantCulture,
            $"inline; filename=\"lke-synthetics-evidence.{EvidenceRenderer.Extension(format)}\""));
        await response.WriteStringAsync(EvidenceRenderer.Render(report, format), cancellationToken);
        return response;
    }

    private static async Task<HttpResponseData> TextAsync(HttpRequestData request, HttpStatusCode status, string message)
    {
        var response = request.CreateResponse(status);
        response.Headers.Add("Content-Type", "text/plain; charset=utf-8");
        await response.WriteStringAsync($"error: {message}\n");
        return response;
    }

    [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "Evidence served: {Title}, {Failures} failed attempts, as {Format}")]
    private static partial void LogServed(ILogger logger, string title, int failures, string format);
}
