using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Synthetics.Lab.Hosting;

/// <summary>
/// A minimal-API app on 127.0.0.1 with a port the OS picks, so several lab servers and parallel test
/// runs never fight over a fixed port, and nothing listens beyond loopback. Logging is off: lab
/// servers are noise in test output.
/// </summary>
internal sealed class LoopbackWebApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackWebApp(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The root the app answers under, with a trailing slash, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Builds an app, lets <paramref name="map"/> add middleware and endpoints, and starts it.</summary>
    public static async Task<LoopbackWebApp> StartAsync(Action<WebApplication> map, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(map);

        // ApplicationName and content root are fixed so the host does not probe the test runner's
        // working directory; an explicit Listen overrides ASPNETCORE_URLS from the environment.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(LoopbackWebApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, Synthetics.Lab.Hosting.EmbeddedHostLifetime>();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        try
        {
            map(app);
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("Kestrel started without reporting a bound address.");

            // Kestrel reports "http://127.0.0.1:PORT" without a trailing slash; a base address needs one
            // so relative URIs such as "v4/regions" resolve under it.
            return new LoopbackWebApp(app, new Uri(address.TrimEnd('/') + "/"));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
