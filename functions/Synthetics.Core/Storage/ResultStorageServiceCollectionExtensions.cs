using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;

namespace Synthetics.Storage;

/// <summary>Registers the results store, its outbox (with host storage when configured), retention and its claims (part of <c>AddSynthetics</c>).</summary>
public static class ResultStorageServiceCollectionExtensions
{
    /// <summary>Binds <c>Synthetics:Storage</c> and <c>Synthetics:RetentionSchedule</c> and registers the store.</summary>
    public static IServiceCollection AddResultStorage(this IServiceCollection services, IConfiguration configuration, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        // Azure names an app's user-assigned identity in AZURE_CLIENT_ID; without it the identity would never be used.
        services.PostConfigure<SyntheticsOptions>(options => options.Storage.ManagedIdentityClientId =
            ManagedIdentityClientId(options.Storage, configuration));
        services.TryAddSingleton(provider => CreateServiceClient(provider.GetRequiredService<IOptions<SyntheticsOptions>>().Value.Storage));
        services.TryAddSingleton<IResultStore, TableResultStore>();
        // With host storage configured, the outbox parks what a flush could not store beyond the instance; without,
        // the disk alone (the CLI's default).
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<SyntheticsOptions>>();
            var parking = CreateOutboxServiceClient(options.Value.Storage) is { } hostStorage
                ? new TableOutboxParking(hostStorage, options, provider.GetRequiredService<ILogger<TableOutboxParking>>())
                : null;
            return new ResultOutbox(
                provider.GetRequiredService<IResultStore>(), parking, options,
                provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<ResultOutbox>>());
        });
        services.TryAddSingleton<IRunClaims, TableRunClaims>();
        services.TryAddSingleton<ResultRetention>();
        return services;
    }

    /// <summary>A client for the configured account: managed identity when an endpoint is set, else the connection string.</summary>
    public static TableServiceClient CreateServiceClient(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return CreateServiceClient(options.Endpoint, options.ConnectionString, options);
    }

    /// <summary>
    /// A client for the app's host storage (<see cref="StorageOptions.OutboxEndpoint"/> with the same managed identity, or
    /// <see cref="StorageOptions.OutboxConnectionString"/>); null when neither is set: the outbox keeps to the disk.
    /// </summary>
    public static TableServiceClient? CreateOutboxServiceClient(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.OutboxEndpoint) && string.IsNullOrWhiteSpace(options.OutboxConnectionString)
            ? null
            : CreateServiceClient(options.OutboxEndpoint, options.OutboxConnectionString, options);
    }

    private static TableServiceClient CreateServiceClient(string? endpoint, string? connectionString, StorageOptions options)
    {
        var client = new TableClientOptions();
        // The outbox is the retry mechanism: the client gives up quickly instead of holding a cycle's flush for minutes.
        client.Retry.MaxRetries = 2;
        client.Retry.Delay = TimeSpan.FromMilliseconds(200);
        client.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        client.Retry.NetworkTimeout = TimeSpan.FromSeconds(options.RequestTimeoutSeconds);
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            return new TableServiceClient(new Uri(endpoint), CreateCredential(options), client);
        }

        return new TableServiceClient(connectionString, client);
    }

    /// <summary>
    /// The credential for <see cref="StorageOptions.Endpoint"/>: the user-assigned managed identity named by
    /// <see cref="StorageOptions.ManagedIdentityClientId"/> when one is, else <see cref="DefaultAzureCredential"/>
    /// (a developer's sign-in, or a system-assigned identity).
    /// </summary>
    public static TokenCredential CreateCredential(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // In Azure the identity is known: ask it directly, not through a chain that probes developer credentials first
        // and, with ManagedIdentityClientId left null, would ask for the system-assigned identity the app does not have.
        return string.IsNullOrWhiteSpace(options.ManagedIdentityClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId));
    }

    /// <summary>
    /// The user-assigned identity's client id: <c>Synthetics:Storage:ManagedIdentityClientId</c> when set, else the
    /// <c>AZURE_CLIENT_ID</c> setting (configuration, then the environment), else none.
    /// </summary>
    public static string? ManagedIdentityClientId(StorageOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        return new[] { options.ManagedIdentityClientId, configuration[AzureClientIdSetting], Environment.GetEnvironmentVariable(AzureClientIdSetting) }
            .FirstOrDefault(id => !string.IsNullOrWhiteSpace(id))?.Trim();
    }

    /// <summary>The setting Azure SDKs and the Function App use to name a user-assigned managed identity.</summary>
    public const string AzureClientIdSetting = "AZURE_CLIENT_ID";
}
