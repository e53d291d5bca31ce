using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Synthetics.Lab.Web;

/// <summary>
/// One HTTPS backend on 127.0.0.1. A stopped backend has no listener, so its port refuses connections the way
/// a crashed node's does; starting it again binds the same port, so a NodeBalancer in front need not change.
/// </summary>
internal sealed class WebBackend : IAsyncDisposable
{
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly X509Certificate2 _certificate;
    private readonly TimeProvider _time;
    private WebApplication? _app;
    private long _responseDelayTicks;

    public WebBackend(string name, X509Certificate2 certificate, TimeProvider time)
    {
        Name = name;
        _certificate = certificate;
        _time = time;
    }

    public string Name { get; }

    /// <summary>Known after the first start; the port stays the backend's for its lifetime.</summary>
    public IPEndPoint Endpoint { get; private set; } = new(IPAddress.Loopback, 0);

    public bool IsRunning => Volatile.Read(ref _app) is not null;

    public TimeSpan ResponseDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _responseDelayTicks));
        set => Interlocked.Exchange(ref _responseDelayTicks, value.Ticks);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (_app is not null)
            {
                return;
            }

            var app = Build(Endpoint.Port);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }

            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
                .Addresses.Single();
            Endpoint = new IPEndPoint(IPAddress.Loopback, new Uri(address).Port);
            Volatile.Write(ref _app, app);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            var app = Volatile.Read(ref _app);
            if (app is null)
            {
                return;
            }

            Volatile.Write(ref _app, null);
            // An already-cancelled token makes Kestrel abort open connections instead of draining them:
            // a backend going down does not finish its requests politely.
            await app.StopAsync(new CancellationToken(canceled: true));
            await app.DisposeAsync();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _lifecycle.Dispose();
    }

    private WebApplication Build(int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, Synthetics.Lab.Hosting.EmbeddedHostLifetime>();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(_certificate)));

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            context.Response.Headers["X-Backend"] = Name;
            var delay = ResponseDelay;
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _time, context.RequestAborted);
            }

            await next(context);
        });
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/", () => Results.Content(
            $"<!doctype html><html><head><title>{Name}</title></head><body><h1>{Name}</h1><p>Lab web backend behind a NodeBalancer.</p></body></html>",
            "text/html; charset=utf-8"));
        app.MapGet("/slow", async (int? ms, CancellationToken cancellationToken) =>
        {
            var wait = Math.Clamp(ms ?? 1000, 0, 600_000);
            await Task.Delay(TimeSpan.FromMilliseconds(wait), _time, cancellationToken);
            return Results.Text($"{Name} answered after {wait} ms");
        });
        return app;
    }
}
