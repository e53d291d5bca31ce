using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;

namespace Synthetics.Maintenance;

/// <summary>
/// Maintenance windows from the configured status page. The status page is context, never a dependency: when it is
/// down, rate limiting, slow or answers garbage, incidents go out without the annotation and the problem is logged in one
/// line naming what happened.
/// </summary>
internal sealed partial class StatusPageMaintenanceSource(
    IHttpClientFactory httpClients, IOptions<SyntheticsOptions> options, ILogger<StatusPageMaintenanceSource> logger) : IMaintenanceSource
{
    public async Task<IReadOnlyList<MaintenanceWindow>> GetAsync(CancellationToken cancellationToken) =>
        (await ReadAsync(cancellationToken)).Windows;

    public async Task<MaintenanceReading> ReadAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Maintenance;
        if (string.IsNullOrWhiteSpace(settings.StatusPageUrl) || !Uri.TryCreate(settings.StatusPageUrl, UriKind.Absolute, out var baseAddress))
        {
            return new([], null);
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        string failure;
        try
        {
            var client = new StatusPageClient(httpClients.CreateClient(nameof(StatusPageMaintenanceSource)), baseAddress);
            return new(await client.GetMaintenancesAsync(bounded.Token), null);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is { } status)
        {
            failure = (int)status == 429 ? "answered 429 (rate limited)" : string.Create(CultureInfo.InvariantCulture, $"answered {(int)status}");
        }
        catch (HttpRequestException ex)
        {
            failure = $"the request failed ({ex.HttpRequestError})";
        }
        catch (FormatException ex)
        {
            failure = $"the answer is not Statuspage JSON ({ex.Message})";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            failure = string.Create(CultureInfo.InvariantCulture, $"no complete answer within {settings.TimeoutSeconds:0.#} s");
        }

        var line = $"status page {baseAddress.Host}: {failure}";
        LogUnavailable(logger, line);
        return new([], line);
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "Status page could not be read ({Failure}); the provider's context goes without it")]
    private static partial void LogUnavailable(ILogger logger, string failure);
}
