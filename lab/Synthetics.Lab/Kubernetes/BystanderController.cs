using System.Globalization;
using System.Text;
using k8s;
using k8s.LeaderElection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Synthetics.Lab.Kubernetes;

/// <summary>
/// A controller living in the cluster that is not ours to watch but whose users notice first: cert-manager, running its
/// leader election (KubernetesClient's real <see cref="LeaderElector"/> on a <c>LeaseLock</c>, cert-manager's timings)
/// against its own API server through the cluster's control-plane NodeBalancer, from a listener of its own
/// (<see cref="BystanderOptions.InClusterVantage"/>), so the region's faults reach it like any client. On a lost election
/// it does what cert-manager does: exits and comes back with a new identity, which waits for the old Lease to expire.
/// Every loss and acquisition is recorded.
/// </summary>
/// <remarks>
/// The elector reads the wall clock and waits real time itself, so the bystander's own waits are real time too; the
/// events carry the region's clock, so they line up with the scenario's steps.
/// </remarks>
public sealed class BystanderController : IAsyncDisposable
{
    private readonly Func<string> _kubeconfig;
    private readonly BystanderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<BystanderLeaseEvent> _events = [];
    private Task _run = Task.CompletedTask;
    private DateTimeOffset? _leadingSince;
    private int _restarts;
    private int _disposed;

    private BystanderController(string cluster, string linodeRegion, Func<string> kubeconfig, BystanderOptions options, TimeProvider time, ILogger logger)
    {
        Cluster = cluster;
        LinodeRegion = linodeRegion;
        _kubeconfig = kubeconfig;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The cluster's label, e.g. <c>ca-prod</c>.</summary>
    public string Cluster { get; }

    /// <summary>The cluster's Linode region, e.g. <c>ca-central</c>.</summary>
    public string LinodeRegion { get; }

    /// <summary>The timings and Lease it runs with.</summary>
    public BystanderOptions Options => _options;

    /// <summary>True while it leads.</summary>
    public bool IsLeading
    {
        get
        {
            lock (_gate)
            {
                return _leadingSince is not null;
            }
        }
    }

    /// <summary>Every acquisition and loss so far, in order.</summary>
    public IReadOnlyList<BystanderLeaseEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>The losses so far, in order.</summary>
    public IReadOnlyList<BystanderLeaseEvent> Losses => [.. Events.Where(e => e.IsLost)];

    /// <summary>The first lost election, or null while it never lost.</summary>
    public BystanderLeaseEvent? FirstLostLease => Events.FirstOrDefault(e => e.IsLost);

    /// <summary>The first loss at or after <paramref name="since"/>, or null.</summary>
    public BystanderLeaseEvent? FirstLostLeaseSince(DateTimeOffset since) => Events.FirstOrDefault(e => e.IsLost && e.At >= since);

    /// <summary>
    /// Starts electing at once through <paramref name="kubeconfig"/> (a token kubeconfig for the in-cluster listener,
    /// asked again at each restart). Throws <see cref="ArgumentException"/> for invalid options.
    /// </summary>
    public static BystanderController Start(
        string cluster, string linodeRegion, Func<string> kubeconfig, BystanderOptions options, TimeProvider time, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(kubeconfig);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } error)
        {
            throw new ArgumentException(error, nameof(options));
        }

        var controller = new BystanderController(cluster, linodeRegion, kubeconfig, options, time, logger ?? NullLogger.Instance);
        controller._run = Task.Run(controller.RunAsync);
        return controller;
    }

    /// <summary>Stops electing (without recording a loss) and waits for the elector to let go.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _run;
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await ElectOnceAsync(stopping);
                await Task.Delay(_options.Scaled(_options.RestartDelay), TimeProvider.System, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A background controller has nobody to throw to: it logs and restarts, as a crashed pod does.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                BystanderLog.Crashed(_logger, ex, Cluster);
                await Task.Delay(_options.Scaled(_options.RestartDelay), TimeProvider.System, CancellationToken.None);
            }
        }
    }

    /// <summary>One life of the controller's process: acquire, lead until the election is lost (or we stop).</summary>
    private async Task ElectOnceAsync(CancellationToken stopping)
    {
        // cert-manager's identity is its pod's host name and a fresh UUID: a restarted process is another candidate.
        var identity = string.Create(CultureInfo.InvariantCulture, $"cert-manager-{Cluster}-{Interlocked.Increment(ref _restarts)}_{Guid.NewGuid():N}");
        using var client = CreateClient();
        var leaseLock = new BystanderLeaseLock(client, _options.Namespace, _options.LeaseName, identity, _time);
        using var elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = _options.Scaled(_options.LeaseDuration),
            RenewDeadline = _options.Scaled(_options.RenewDeadline),
            RetryPeriod = _options.Scaled(_options.RetryPeriod),
        });
        elector.OnStartedLeading += () => Started(identity);
        elector.OnStoppedLeading += () =>
        {
            if (!stopping.IsCancellationRequested)
            {
                Lost(identity, leaseLock);
            }
        };

        // The elector's renew attempt that lost the race against the deadline runs on until its token ends: this life's
        // token, so a dead process's leftover loop never renews the Lease behind the restarted one.
        using var life = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        try
        {
            await elector.RunUntilLeadershipLostAsync(life.Token);
        }
        finally
        {
            await life.CancelAsync();
        }
    }

    private k8s.Kubernetes CreateClient()
    {
        using var kubeconfig = new MemoryStream(Encoding.UTF8.GetBytes(_kubeconfig()));
        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        // client-go bounds a request by the renew deadline's context, and the handshake by TLSHandshakeTimeout.
        configuration.HttpClientTimeout = _options.Scaled(_options.RenewDeadline);
        var connectTimeout = _options.Scaled(_options.ConnectTimeout);
        configuration.FirstMessageHandlerSetup = handler =>
        {
            if (handler is SocketsHttpHandler sockets)
            {
                sockets.ConnectTimeout = connectTimeout;
            }
        };
        return new k8s.Kubernetes(configuration);
    }

    private void Started(string identity)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            _leadingSince = now;
            _events.Add(new BystanderLeaseEvent(now, IsLost: false, identity, Reason: null));
        }

        BystanderLog.Acquired(_logger, Cluster, identity);
    }

    private void Lost(string identity, BystanderLeaseLock leaseLock)
    {
        var now = _time.GetUtcNow();
        var deadline = _options.Scaled(_options.RenewDeadline).TotalSeconds;
        var reason = leaseLock.CallStartedAt is { } waiting
            ? string.Create(CultureInfo.InvariantCulture, $"no renewal within the {deadline:0.###} s renew deadline: a Lease call had waited {(now - waiting).TotalSeconds:0.#} s for an answer")
            : string.Create(CultureInfo.InvariantCulture, $"no renewal within the {deadline:0.###} s renew deadline: {leaseLock.LastFailure ?? "the renewals failed"}");
        lock (_gate)
        {
            var ledFor = _leadingSince is { } since ? now - since : (TimeSpan?)null;
            _leadingSince = null;
            _events.Add(new BystanderLeaseEvent(now, IsLost: true, identity, reason) { LedFor = ledFor });
        }

        BystanderLog.Lost(_logger, Cluster, identity, reason);
    }
}
