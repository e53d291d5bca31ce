using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Synthetics.Lab.Certificates;

namespace Synthetics.Lab.Kubernetes;

/// <summary>
/// A faithful subset of a kube-apiserver on loopback: HTTPS with a certificate from the cluster CA, bearer-token and
/// client-certificate authentication, the health endpoints in the real text format, <c>/version</c>, and
/// API discovery (so kubectl works against it), and <c>coordination.k8s.io/v1</c> Leases with resourceVersion conflicts
/// and watches. Run-time knobs (failing checks,
/// added latency, tokens) let tests and the lab stage control-plane trouble.
/// </summary>
public sealed partial class LabKubernetesApi : IAsyncDisposable
{
    private const string AuditIdHeader = "Audit-Id";

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly CertificateAuthority _authority;
    private readonly LabKubernetesApiOptions _options;
    private readonly TimeProvider _time;
    private readonly ApiAuthentication _authentication;
    private readonly ApiHealth _health = new();
    private readonly LeaseStore _store;
    private readonly ConcurrentDictionary<ApiRequestKey, long> _requestCounts = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly X509Certificate2 _servingCertificate;
    private WebApplication? _app;
    private Uri? _baseAddress;
    private long _responseDelayTicks;
    private long _totalRequests;
    private int _disposed;

    /// <summary>Creates the server; nothing listens until <see cref="StartAsync"/>.</summary>
    /// <param name="authority">The cluster CA: it issues the serving certificate and verifies client certificates. Not owned.</param>
    /// <param name="options">Settings; null for defaults (loopback, free port, no tokens).</param>
    /// <param name="timeProvider">Clock for timestamps, certificate validity, delays and watch timeouts. Default <see cref="TimeProvider.System"/>.</param>
    public LabKubernetesApi(CertificateAuthority authority, LabKubernetesApiOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        _authority = authority;
        _options = options ?? new LabKubernetesApiOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(_options.Port, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(_options.Port, IPEndPoint.MaxPort, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.DefaultWatchTimeout, TimeSpan.Zero, nameof(options));
        ArgumentNullException.ThrowIfNull(_options.ListenAddress, nameof(options));
        if (!IPAddress.IsLoopback(_options.ListenAddress))
        {
            // The lab replicates a region on the loopback network only; it must never be reachable from outside.
            throw new ArgumentException($"The lab listens on loopback only, not {_options.ListenAddress}.", nameof(options));
        }

        _time = timeProvider ?? TimeProvider.System;
        _authentication = new ApiAuthentication(_options.Tokens);
        _store = new LeaseStore(_time, _options.WatchHistoryLength);
        Version = ApiVersionInfo.Parse(_options.KubernetesVersion);

        var now = _time.GetUtcNow();
        string[] dnsNames = ["localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", .. _options.ExtraDnsNames];
        IPAddress[] addresses = [IPAddress.Loopback, .. _options.ExtraIpAddresses];
        _servingCertificate = authority.IssueServerCertificate(
            dnsNames.Distinct(StringComparer.OrdinalIgnoreCase),
            addresses.Distinct(),
            now.AddHours(-1),
            now.AddYears(1),
            commonName: "kube-apiserver");
    }

    /// <summary>The base address, e.g. <c>https://127.0.0.1:43121/</c>. Available after <see cref="StartAsync"/>.</summary>
    public Uri BaseAddress => _baseAddress ?? throw new InvalidOperationException("The API server has not been started.");

    /// <summary>The TCP port the server listens on. Available after <see cref="StartAsync"/>.</summary>
    public int Port => BaseAddress.Port;

    /// <summary>The cluster CA certificate as PEM, the content of a kubeconfig's <c>certificate-authority-data</c> before base64.</summary>
    public string CaPem => _authority.CertificatePem;

    /// <summary>The serving certificate (SANs: localhost, 127.0.0.1, the in-cluster names and the extra names and addresses).</summary>
    public X509Certificate2 ServingCertificate => _servingCertificate;

    /// <summary>The <c>/version</c> the server reports.</summary>
    internal ApiVersionInfo Version { get; }

    /// <summary>
    /// Latency added before every request is handled, health endpoints included, as an overloaded control plane
    /// would show. Default zero; negative values count as zero.
    /// </summary>
    public TimeSpan ResponseDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _responseDelayTicks));
        set => Interlocked.Exchange(ref _responseDelayTicks, Math.Max(0, value.Ticks));
    }

    /// <summary>All requests received, including rejected ones.</summary>
    public long TotalRequests => Interlocked.Read(ref _totalRequests);

    /// <summary>The current global resourceVersion of the Lease store.</summary>
    public long ResourceVersion => _store.ResourceVersion;

    /// <summary>Starts listening; returns once the port is bound and requests are served.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_app is not null)
        {
            throw new InvalidOperationException("The API server has already been started.");
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(LabKubernetesApi).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, Synthetics.Lab.Hosting.EmbeddedHostLifetime>();
        builder.Logging.ClearProviders();
        if (_options.EnableConsoleLogging)
        {
            builder.Logging.AddConsole();
        }

        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(_options.ListenAddress, _options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = _servingCertificate;
                    // Allow, not require: token clients present no certificate, kubeconfig cert users do.
                    https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                    https.ClientCertificateValidation = (certificate, _, _) => IsIssuedByAuthority(certificate);
                });
            });
        });

        var app = builder.Build();
        app.Use(HandleRequestAsync);
        MapHealth(app);
        ApiDiscovery.Map(app);
        new LeaseEndpoints(_store, _time, _options.DefaultWatchTimeout, _stopping.Token).Map(app);
        app.MapFallback(context => ApiStatus.RouteNotFound().WriteAsync(context.Response, context.RequestAborted));

        _app = app;
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        var host = _options.ListenAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{_options.ListenAddress}]"
            : _options.ListenAddress.ToString();
        _baseAddress = new Uri($"https://{host}:{port}/");
    }

    /// <summary>Accepts <paramref name="token"/> as a bearer token from now on.</summary>
    public void AddToken(string token) => _authentication.Add(token);

    /// <summary>Stops accepting <paramref name="token"/>; true if it was accepted before.</summary>
    public bool RevokeToken(string token) => _authentication.Revoke(token);

    /// <summary>
    /// Makes the named checks fail in <c>/readyz</c>, <c>/livez</c> and <c>/healthz</c> (e.g. <c>"etcd"</c>,
    /// <c>"poststarthook/start-kube-aggregator-informers"</c>). No names clears all failures.
    /// </summary>
    public void SetFailingChecks(params string[] checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        _health.SetFailing(checks);
    }

    /// <summary>The checks currently set to fail.</summary>
    public IReadOnlyCollection<string> FailingChecks => _health.Failing;

    /// <summary>How many requests arrived for <paramref name="method"/> and <paramref name="path"/> (no query string).</summary>
    public long GetRequestCount(string method, string path) =>
        _requestCounts.GetValueOrDefault(new ApiRequestKey(method.ToUpperInvariant(), path));

    /// <summary>A snapshot of request counts by method and path.</summary>
    public IReadOnlyDictionary<ApiRequestKey, long> GetRequestCounts() => new Dictionary<ApiRequestKey, long>(_requestCounts);

    /// <summary>A copy of the stored Lease, or null; lets the lab inspect state without going through HTTP.</summary>
    public V1Lease? GetLease(string namespaceName, string name) =>
        _store.Get(namespaceName, name) is { } lease ? LeaseJson.Clone(lease) : null;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Watches end first, so Kestrel's graceful stop does not wait for their timeouts.
        await _stopping.CancelAsync();
        if (_app is not null)
        {
            using var stopTimeout = new CancellationTokenSource(StopTimeout, _time);
            await _app.StopAsync(stopTimeout.Token);
            await _app.DisposeAsync();
        }

        _servingCertificate.Dispose();
        _stopping.Dispose();
    }

    private async Task HandleRequestAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        _requestCounts.AddOrUpdate(new ApiRequestKey(context.Request.Method, path.Value ?? "/"), 1, (_, count) => count + 1);
        Interlocked.Increment(ref _totalRequests);

        // kube-apiserver's audit filter runs before everything else, authentication included: every answer carries the
        // request's Audit-ID, or one the server made up.
        var auditId = context.Request.Headers[AuditIdHeader].FirstOrDefault();
        context.Response.Headers[AuditIdHeader] = string.IsNullOrWhiteSpace(auditId) ? Guid.NewGuid().ToString() : auditId;

        var delay = ResponseDelay;
        if (delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, _time, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up while the lab was being slow; there is no one left to answer.
                return;
            }
        }

        var authenticated = _authentication.Authenticate(context);
        if (authenticated == false || (authenticated is null && !ApiAuthentication.AllowsAnonymous(path)))
        {
            await ApiStatus.Unauthorized().WriteAsync(context.Response, context.RequestAborted);
            return;
        }

        await next(context);
    }

    private bool IsIssuedByAuthority(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_authority.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2")); // clientAuth
        return chain.Build(certificate);
    }
}
