using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;

namespace Synthetics.Storage;

/// <summary>Registers the results store, its outbox and retention (part of <c>AddSynthetics</c>).</summary>
public static class ResultStorageServiceCollectionExtensions
{
    /// <summary>Binds <c>Synthetics:Storage</c> and <c>Synthetics:RetentionSchedule</c> and registers the store.</summary>
    public static IServiceCollection AddResultStorage(this IServiceCollection services, IConfiguration configuration, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => CreateServiceClient(provider.GetRequiredService<IOptions<SyntheticsOptions>>().Value.Storage));
        services.TryAddSingleton<IResultStore, TableResultStore>();
        services.TryAddSingleton<ResultOutbox>();
        services.TryAddSingleton<ResultRetention>();
        return services;
    }

    /// <summary>A client for the configured account: managed identity when an endpoint is set, else the connection string.</summary>
    public static TableServiceClient CreateServiceClient(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var client = new TableClientOptions();
        // The outbox is the retry mechanism: the client gives up quickly instead of holding a cycle's flush for minutes.
        client.Retry.MaxRetries = 2;
        client.Retry.Delay = TimeSpan.FromMilliseconds(200);
        client.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        client.Retry.NetworkTimeout = TimeSpan.FromSeconds(options.RequestTimeoutSeconds);
        if (!string.IsNullOrWhiteSpace(options.Endpoint))
        {
            var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) ? null : options.ManagedIdentityClientId,
            });
            return new TableServiceClient(new Uri(options.Endpoint), credential, client);
        }

        return new TableServiceClient(options.ConnectionString, client);
    }
}
