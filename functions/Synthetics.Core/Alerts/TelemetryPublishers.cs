using Azure.Identity;

namespace Synthetics.Alerts;

/// <summary>Chooses the publisher from configuration: Application Insights when a connection string is known, else none.</summary>
public static class TelemetryPublishers
{
    public static ITelemetryPublisher Create(TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connectionString = options.ConnectionString is { Length: > 0 } configured
            ? configured
            : Environment.GetEnvironmentVariable("APPLICATIONINSIGHTS_CONNECTION_STRING");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return new DisabledTelemetryPublisher();
        }

        // In Azure the resource accepts only Entra-authenticated telemetry; the Function App says so in this setting.
        var authentication = Environment.GetEnvironmentVariable("APPLICATIONINSIGHTS_AUTHENTICATION_STRING");
        Azure.Core.TokenCredential? credential = null;
        if (authentication is not null && authentication.Contains("Authorization=AAD", StringComparison.OrdinalIgnoreCase))
        {
            var clientId = authentication.Split(';').Select(p => p.Split('=', 2)).FirstOrDefault(p => p[0].Trim() == "ClientId")?[1].Trim();
            credential = new ManagedIdentityCredential(string.IsNullOrEmpty(clientId)
                ? ManagedIdentityId.SystemAssigned
                : ManagedIdentityId.FromUserAssignedClientId(clientId));
        }

        return new ApplicationInsightsPublisher(connectionString, options.OfflineStorage, credential);
    }
}
