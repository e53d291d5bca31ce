using System.Net;
using System.Security.Cryptography.X509Certificates;
using Synthetics.Lab.Certificates;

namespace Synthetics.Lab.Web;

/// <summary>
/// A handful of small Kestrel HTTPS backends on 127.0.0.1 for a NodeBalancer to front: <c>GET /healthz</c>
/// answers 200 <c>ok</c>, <c>GET /</c> a small HTML page naming the backend, <c>GET /slow?ms=N</c> answers after
/// N ms (default 1000). Every response carries <c>X-Backend</c>. Backends can be stopped (their port then
/// refuses) and started again on the same port, and each can be given a response delay.
/// </summary>
public sealed class WebBackendPool : IAsyncDisposable
{
    private readonly WebBackend[] _backends;

    private WebBackendPool(WebBackend[] backends, X509Certificate2 certificate)
    {
        _backends = backends;
        ServerCertificate = certificate;
    }

    /// <summary>The certificate every backend presents: issued by the given CA for 127.0.0.1 and localhost, valid for <see cref="WebBackendPoolOptions.CertificateLifetime"/>.</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>Backend addresses in index order, fixed for the pool's lifetime.</summary>
    public IReadOnlyList<IPEndPoint> Endpoints => [.. _backends.Select(backend => backend.Endpoint)];

    /// <summary>Backend names in index order.</summary>
    public IReadOnlyList<string> Names => [.. _backends.Select(backend => backend.Name)];

    /// <summary>Issues the server certificate and starts every backend.</summary>
    public static async Task<WebBackendPool> StartAsync(
        CertificateAuthority authority, WebBackendPoolOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authority);
        options ??= new WebBackendPoolOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Count, 64);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.NamePrefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CertificateLifetime, TimeSpan.FromMinutes(1));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.CertificateLifetime, TimeSpan.FromDays(3650));

        var now = options.TimeProvider.GetUtcNow();
        var certificate = authority.IssueServerCertificate(
            ["localhost"], [IPAddress.Loopback], now.AddHours(-1), now + options.CertificateLifetime);
        var backends = Enumerable.Range(0, options.Count)
            .Select(index => new WebBackend($"{options.NamePrefix}-{index}", certificate, options.TimeProvider))
            .ToArray();
        var pool = new WebBackendPool(backends, certificate);
        try
        {
            foreach (var backend in backends)
            {
                await backend.StartAsync(cancellationToken);
            }
        }
        catch
        {
            await pool.DisposeAsync();
            throw;
        }

        return pool;
    }

    /// <summary>True while backend <paramref name="index"/> listens.</summary>
    public bool IsRunning(int index) => Backend(index).IsRunning;

    /// <summary>Stops a backend abruptly: open connections are aborted and its port refuses new ones.</summary>
    public Task StopBackendAsync(int index, CancellationToken cancellationToken = default) =>
        Backend(index).StopAsync(cancellationToken);

    /// <summary>Starts a stopped backend again on its old port.</summary>
    public Task StartBackendAsync(int index, CancellationToken cancellationToken = default) =>
        Backend(index).StartAsync(cancellationToken);

    /// <summary>Delay added before every response of backend <paramref name="index"/>. Default zero.</summary>
    public void SetResponseDelay(int index, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        Backend(index).ResponseDelay = delay;
    }

    /// <summary>The response delay of backend <paramref name="index"/>.</summary>
    public TimeSpan GetResponseDelay(int index) => Backend(index).ResponseDelay;

    public async ValueTask DisposeAsync()
    {
        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }

        ServerCertificate.Dispose();
    }

    private WebBackend Backend(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _backends.Length);
        return _backends[index];
    }
}
