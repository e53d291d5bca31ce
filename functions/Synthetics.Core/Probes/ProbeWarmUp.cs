using System.Net;
using System.Security.Cryptography.X509Certificates;
using Synthetics.Probes.Sampling;
using Synthetics.Targets;

namespace Synthetics.Probes;

/// <summary>
/// Runs every registered probe, through the runner's own code, against a <see cref="WarmUpServer"/> on loopback before a
/// process's first cycle, and throws the results away. A fresh process otherwise measures its own start-up in that
/// cycle: the runtime compiling and initialising sockets, TLS, HTTP, JSON and the Kubernetes client (a loopback connect
/// of 100 ms and a TLS handshake of 130 ms against 1 and 10 ms in later cycles, measured by the <c>first-cycle</c>
/// benchmark). In Azure that is every cold start and scale-out. Bounded by <see cref="Budget"/>; a warm-up that fails
/// only leaves the first cycle cold (it is still marked <see cref="ProbeCycleReport.ColdStart"/>).
/// </summary>
internal static class ProbeWarmUp
{
    // The second round takes what the first left of the first-use costs (a third changed nothing measurable).
    private const int Rounds = 2;

    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(500);

    /// <summary>How long the warm-up may take at the most.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    // Short enough for a warm-up, long enough for the canary to acquire and renew once and the watch to list and watch.
    private static readonly KubernetesCanarySettings Canary = KubernetesCanarySettings.Default with
    {
        Namespace = "warm-up",
        LeaseDuration = TimeSpan.FromSeconds(3),
        RenewDeadline = TimeSpan.FromSeconds(2),
        RetryPeriod = TimeSpan.FromMilliseconds(200),
        Hold = TimeSpan.FromMilliseconds(500),
        ApiCallTimeout = TimeSpan.FromSeconds(2),
        Unwind = TimeSpan.FromSeconds(1),
        WatchLinger = TimeSpan.FromMilliseconds(100),
    };

    // A couple of samples per series: the sampler's code path, fresh and kept connections, without its production period.
    private static readonly SamplingOptions Sampling = new() { IntervalSeconds = 0.1, PeriodSeconds = 0.2 };

    /// <summary>Runs <paramref name="runOne"/> for each probe of <paramref name="probes"/> on its warm-up target, a few times.</summary>
    public static async Task RunAsync(IReadOnlyList<IProbe> probes, Func<Target, IProbe, CancellationToken, Task> runOne, CancellationToken cancellationToken)
    {
        probes = [.. probes.Select(p => p is DisruptionProbe sampler ? sampler.With(Sampling) : p)];
        await using var server = new WarmUpServer();
        var trusted = new X509Certificate2Collection(server.Authority);
        var endpoint = new TargetEndpoint(IPAddress.Loopback.ToString(), server.Port, UseTls: true);
        var url = new Uri($"https://{endpoint.Host}:{endpoint.Port}/healthz");
        Target Of(TargetKind kind) => new()
        {
            Name = $"warm-up-{kind}",
            Kind = kind,
            Region = "warm-up",
            Endpoint = endpoint,
            Timeout = TimeSpan.FromSeconds(3),
            SlowThreshold = TimeSpan.FromSeconds(3),
            Probes = probes.Select(p => p.Name).ToHashSet(StringComparer.Ordinal),
            TrustedCertificates = trusted,
            Http = kind == TargetKind.Http ? new HttpExpectation(url, 200, null) : null,
            Kubernetes = kind == TargetKind.KubernetesApi
                ? new KubernetesCredentials { Server = new Uri($"https://{endpoint.Host}:{endpoint.Port}/"), BearerToken = "warm-up", KubeconfigPath = "(warm-up)" }
                : null,
            Canary = kind == TargetKind.KubernetesApi ? Canary : null,
        };

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(Budget);
        var targets = new[] { Of(TargetKind.Http), Of(TargetKind.KubernetesApi) };
        for (var round = 0; round < Rounds; round++)
        {
            await Task.WhenAll(
                from target in targets
                from probe in probes
                where probe.AppliesTo(target.Kind, target.Endpoint)
                select runOne(target, probe, budget.Token));
        }

        // The resolver's code path too: the DNS probe does not apply to an address.
        await Dns.GetHostAddressesAsync("localhost", budget.Token);

        // The runtime recompiles what the warm-up ran hot on a background thread shortly after (tiered compilation):
        // waiting that out keeps the recompiling off the first cycle's measurements.
        await Task.Delay(Settle, TimeProvider.System, cancellationToken);
    }
}
