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

        var credential = CreateCredential(Environment.GetEnvironmentVariable(AuthenticationStringSetting));
        return new ApplicationInsightsPublisher(connectionString, options.OfflineStorage, credential);
    }

    /// <summary>The setting in which Azure tells a Function App how to authenticate its telemetry.</summary>
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>
    /// The credential telemetry is sent with: the managed identity named in an <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c>
    /// such as <c>ClientId=…;Authorization=AAD</c> (system-assigned without a ClientId), or null when that setting does not
    /// ask for Entra authentication. Used by the incident publisher and by the Function App's OpenTelemetry exporter alike.
    /// </summary>
    public static Azure.Core.TokenCredential? CreateCredential(string? authenticationString)
    {
        // In Azure the resource accepts only Entra-authenticated telemetry; the Function App says so in this setting.
        if (authenticationString is null || !authenticationString.Contains("Authorization=AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var clientId = authenticationString.Split(';').Select(p => p.Split('=', 2)).FirstOrDefault(p => p.Length == 2 && p[0].Trim() == "ClientId")?[1].Trim();
        return new ManagedIdentityCredential(string.IsNullOrEmpty(clientId)
            ? ManagedIdentityId.SystemAssigned
            : ManagedIdentityId.FromUserAssignedClientId(clientId));
    }
}
