using System.Net.Http.Headers;
using Synthetics.Lab.LinodeApi;

namespace Synthetics.Lab.Tests.LinodeApi;

/// <summary>A started <see cref="LinodeApiServer"/> over <see cref="LinodeApiSample"/> and a client holding its token, per test.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes through IAsyncLifetime.")]
public abstract class LinodeApiTestBase : IAsyncLifetime
{
    protected LinodeApiServer Server { get; } = new(LinodeApiSample.Create(), LinodeApiSample.Token);

    protected HttpClient Http { get; } = new();

    public async Task InitializeAsync()
    {
        await Server.StartAsync(CancellationToken.None);
        Http.BaseAddress = Server.BaseAddress;
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", LinodeApiSample.Token);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
