using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Synthetics.Lab.Hosting;

/// <summary>
/// Starts a minimal-API app on 127.0.0.1 with a port the OS picks, so several lab servers and parallel
/// test runs never fight over a fixed port, and nothing listens beyond loopback.
/// </summary>
internal static class LoopbackWebApp
{
    /// <summary>A builder bound to 127.0.0.1:0 with logging off: lab servers are noise in test output.</summary>
    public static WebApplicationBuilder CreateBuilder()
    {
        // ApplicationName and content root are fixed so the host does not probe the test runner's
        // working directory or pick up ASPNETCORE_URLS from the environment.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(LoopbackWebApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        return builder;
    }

    /// <summary>Starts <paramref name="app"/> and returns the address Kestrel actually bound.</summary>
    public static async Task<Uri> StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await app.StartAsync(cancellationToken);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        var address = addresses?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel started without reporting a bound address.");
        // Kestrel reports "http://127.0.0.1:PORT" without a trailing slash; a base address needs one
        // so relative URIs such as "v4/regions" resolve under it.
        return new Uri(address.TrimEnd('/') + "/");
    }
}
