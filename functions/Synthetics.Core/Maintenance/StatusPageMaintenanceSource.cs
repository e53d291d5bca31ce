using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;

namespace Synthetics.Maintenance;

/// <summary>
/// Maintenance windows from the configured status page. The status page is context, never a dependency: when it is
/// down, slow or answers garbage, incidents go out without the annotation and the problem is logged.
/// </summary>
internal sealed partial class StatusPageMaintenanceSource(
    IHttpClientFactory httpClients, IOptions<SyntheticsOptions> options, ILogger<StatusPageMaintenanceSource> logger) : IMaintenanceSource
{
    public async Task<IReadOnlyList<MaintenanceWindow>> GetAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Maintenance;
        if (string.IsNullOrWhiteSpace(settings.StatusPageUrl) || !Uri.TryCreate(settings.StatusPageUrl, UriKind.Absolute, out var baseAddress))
        {
            return [];
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        try
        {
            var client = new StatusPageClient(httpClients.CreateClient(nameof(StatusPageMaintenanceSource)), baseAddress);
            return await client.GetMaintenancesAsync(bounded.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or FormatException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(logger, baseAddress.Host, ex.GetType().Name);
            return [];
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "Status page {Host} could not be read ({Error}); incidents go out without maintenance context")]
    private static partial void LogUnavailable(ILogger logger, string host, string error);
}
