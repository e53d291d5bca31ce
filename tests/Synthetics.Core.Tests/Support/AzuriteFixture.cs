namespace Synthetics.Core.Tests.Support;

/// <summary>One Azurite for a test class (xunit class fixture); tests isolate themselves with their own table names.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public AzuriteProcess Azurite => _azurite ?? throw new InvalidOperationException("not started");

    public string ConnectionString => Azurite.ConnectionString;

    /// <summary>A table name no other test uses.</summary>
    public static string UniqueTableName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..16];

    public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartNewAsync();

    public Task DisposeAsync()
    {
        _azurite?.Dispose();
        return Task.CompletedTask;
    }
}
