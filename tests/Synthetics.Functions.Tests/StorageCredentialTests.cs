using System.Net;
using System.Net.Sockets;
using System.Text;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;
using Synthetics.Storage;

namespace Synthetics.Functions.Tests;

/// <summary>
/// In Azure the results table is reached with the app's user-assigned identity, which the Function App names in
/// AZURE_CLIENT_ID. These tests look at the credential chosen, and at the token request it makes, without Azure.
/// </summary>
public sealed class StorageCredentialTests
{
    private const string ClientId = "11111111-2222-3333-4444-555555555555";

    [Fact]
    public void AddSynthetics_AzureClientIdSetting_BecomesTheStorageIdentity()
    {
        using var services = Compose(new()
        {
            ["Synthetics:Storage:Endpoint"] = "https://account.table.core.windows.net/",
            ["AZURE_CLIENT_ID"] = ClientId,
        });

        var storage = services.GetRequiredService<IOptions<SyntheticsOptions>>().Value.Storage;

        Assert.Equal(ClientId, storage.ManagedIdentityClientId);
        Assert.IsType<ManagedIdentityCredential>(ResultStorageServiceCollectionExtensions.CreateCredential(storage));
    }

    [Fact]
    public void AddSynthetics_ExplicitClientId_WinsOverAzureClientId()
    {
        using var services = Compose(new()
        {
            ["Synthetics:Storage:Endpoint"] = "https://account.table.core.windows.net/",
            ["Synthetics:Storage:ManagedIdentityClientId"] = ClientId,
            ["AZURE_CLIENT_ID"] = "99999999-9999-9999-9999-999999999999",
        });

        Assert.Equal(ClientId, services.GetRequiredService<IOptions<SyntheticsOptions>>().Value.Storage.ManagedIdentityClientId);
    }

    [Fact]
    public void CreateCredential_NoClientId_UsesTheDeveloperChain()
    {
        var options = new StorageOptions { Endpoint = "https://account.table.core.windows.net/" };

        Assert.IsType<DefaultAzureCredential>(ResultStorageServiceCollectionExtensions.CreateCredential(options));
    }

    [Fact]
    public async Task CreateCredential_ClientId_AsksTheManagedIdentityEndpointForThatIdentity()
    {
        // The App Service / Functions managed identity endpoint, faked on loopback: IDENTITY_ENDPOINT and IDENTITY_HEADER
        // are what the platform sets. The request must name the user-assigned identity, not fall back to a system one.
        var port = FreePort();
        using var endpoint = new HttpListener();
        endpoint.Prefixes.Add($"http://127.0.0.1:{port}/msi/");
        endpoint.Start();
        var request = AnswerOneTokenRequest(endpoint);

        var saved = (Environment.GetEnvironmentVariable("IDENTITY_ENDPOINT"), Environment.GetEnvironmentVariable("IDENTITY_HEADER"));
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", $"http://127.0.0.1:{port}/msi/token");
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", "test-header");
        try
        {
            var credential = ResultStorageServiceCollectionExtensions.CreateCredential(new StorageOptions { ManagedIdentityClientId = ClientId });
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

            var token = await credential.GetTokenAsync(new TokenRequestContext(["https://storage.azure.com/.default"]), timeout.Token);

            Assert.Equal("fake-token", token.Token);
            Assert.Contains($"client_id={ClientId}", await request, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", saved.Item1);
            Environment.SetEnvironmentVariable("IDENTITY_HEADER", saved.Item2);
        }
    }

    private static async Task<string> AnswerOneTokenRequest(HttpListener endpoint)
    {
        var context = await endpoint.GetContextAsync();
        var query = context.Request.Url!.Query;
        var expiresOn = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var body = Encoding.UTF8.GetBytes(
            $$"""{"access_token":"fake-token","expires_on":"{{expiresOn}}","resource":"https://storage.azure.com/","token_type":"Bearer","client_id":"{{ClientId}}"}""");
        context.Response.ContentType = "application/json";
        await context.Response.OutputStream.WriteAsync(body);
        context.Response.Close();
        return query;
    }

    private static ServiceProvider Compose(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddSynthetics(configuration, Path.GetTempPath()).BuildServiceProvider();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
