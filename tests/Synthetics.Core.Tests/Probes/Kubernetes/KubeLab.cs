using System.Net;
using Synthetics.Configuration;
using Synthetics.Core.Tests.Targets;
using Synthetics.Lab.Certificates;
using Synthetics.Lab.Faults;
using Synthetics.Lab.Kubernetes;
using Synthetics.Lab.NodeBalancers;
using Synthetics.Probes;
using Synthetics.Probes.Kubernetes;
using Synthetics.Results;
using Synthetics.Targets;

namespace Synthetics.Core.Tests.Probes.Kubernetes;

/// <summary>
/// A lab control plane (optionally behind a lab NodeBalancer) with a token kubeconfig on disk, turned into a target by the
/// product's own catalog builder, and the Kubernetes probes sharing one journal. Short election timings (3/2/0.5 s).
/// </summary>
internal sealed class KubeLab : IAsyncDisposable
{
    public const string Token = "canary-token-5c1e-never-print-me";
    public const string Vantage = "test-vantage";
    public const string Namespace = "synthetics-canary";
    public const string LeaseName = "synthetics-test-vantage";

    private readonly string _directory;

    private KubeLab(CertificateAuthority authority, LabKubernetesApi api, NodeBalancer? nodeBalancer, string directory)
    {
        Authority = authority;
        Api = api;
        NodeBalancer = nodeBalancer;
        _directory = directory;
        var journal = new LeaseCanaryJournal();
        Probes = [new KubeApiProbe(), new LeaseCanaryProbe(journal), new WatchProbe(journal)];
    }

    public CertificateAuthority Authority { get; }

    public LabKubernetesApi Api { get; }

    public NodeBalancer? NodeBalancer { get; }

    public IReadOnlyList<IProbe> Probes { get; }

    public static async Task<KubeLab> StartAsync(bool behindNodeBalancer = false)
    {
        var authority = CertificateAuthority.Create("lab-cluster-ca", DateTimeOffset.UtcNow);
        var options = new LabKubernetesApiOptions();
        options.Tokens.Add(Token);
        var api = new LabKubernetesApi(authority, options);
        await api.StartAsync(CancellationToken.None);
        var nodeBalancer = behindNodeBalancer
            ? new NodeBalancer(new NodeBalancerOptions
            {
                Name = "lke-cp",
                Vantages = [Vantage],
                Backends = [new IPEndPoint(IPAddress.Loopback, api.Port)],
            })
            : null;
        return new KubeLab(authority, api, nodeBalancer, Directory.CreateTempSubdirectory("kube-probes-").FullName);
    }

    /// <summary>Writes the kubeconfig (through the NodeBalancer when there is one) and builds the target with the catalog builder.</summary>
    public Target Target(double holdSeconds = 3, double callTimeoutSeconds = 1, double? marginWarningMs = null,
        (double Lease, double Renew, double Retry)? timings = null, params string[] probes)
    {
        var server = NodeBalancer is { } nb
            ? new Uri($"https://127.0.0.1:{nb.GetEndpoint(Vantage).Port}")
            : Api.BaseAddress;
        var path = Path.Combine(_directory, "canary.kubeconfig");
        Api.WriteKubeconfig(path, "lke424242", server, Token);
        return CatalogHost.Build(options =>
        {
            options.VantagePoint = Vantage;
            options.Targets =
            [
                new TargetOptions
                {
                    Name = "ca-prod-api",
                    Kind = "KubernetesApi",
                    Region = "ca-central",
                    Kubeconfig = path,
                    TimeoutSeconds = 2,
                    Probes = probes.Length == 0 ? ["kube-api", "lease-canary", "watch"] : [.. probes],
                    LeaseDurationSeconds = timings?.Lease ?? 3,
                    RenewDeadlineSeconds = timings?.Renew ?? 2,
                    RetryPeriodSeconds = timings?.Retry ?? 0.5,
                    CanaryHoldSeconds = holdSeconds,
                    ApiCallTimeoutSeconds = callTimeoutSeconds,
                    RenewMarginWarningMs = marginWarningMs,
                },
            ];
        }).Single();
    }

    public ProbeCycleRunner Runner(double cycleBudgetSeconds = 50)
    {
        var options = Support.ProbeHarness.Options(p => p.CycleBudgetSeconds = cycleBudgetSeconds);
        options.VantagePoint = Vantage;
        return Support.ProbeHarness.Runner(options, probes: Probes);
    }

    /// <summary>Runs one probe through the real runner, off the test's synchronization context.</summary>
    public async Task<ProbeResult> RunAsync(Target target, string probe)
    {
        var runner = Runner();
        var instance = Probes.Single(p => p.Name == probe);
        return await Task.Run(() => runner.RunOneAsync(target, instance, CancellationToken.None, CancellationToken.None))
               ?? throw new InvalidOperationException("no result without host cancellation");
    }

    /// <summary>Waits until the canary holds its Lease in the lab.</summary>
    public async Task WaitForHolderAsync(string holder, TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        while (Api.GetLease(Namespace, LeaseName)?.Spec?.HolderIdentity != holder)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }
    }

    public static double Number(ProbeResult result, string key) => Convert.ToDouble(result.Details[key], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One line with outcome, duration, message and details, for failure messages and test output.</summary>
    public static string Describe(ProbeResult result) =>
        $"{result.Probe}: {result.Outcome.ToContractName()} {result.DurationMs:0} ms {result.Message} "
        + string.Join(", ", result.Details.Select(d => $"{d.Key}={d.Value}"));

    public static void AssertNoSecrets(ProbeResult result)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(result, ProbeResultJson.Options);
        Assert.DoesNotContain(Token, json, StringComparison.Ordinal);
        Assert.DoesNotContain("certificate-authority-data", json, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var probe in Probes.OfType<IDisposable>())
        {
            probe.Dispose();
        }

        if (NodeBalancer is not null)
        {
            await NodeBalancer.DisposeAsync();
        }

        await Api.DisposeAsync();
        Authority.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
