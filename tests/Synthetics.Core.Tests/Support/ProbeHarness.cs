using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;
using Synthetics.Probes;
using Synthetics.Results;
using Synthetics.Targets;

namespace Synthetics.Core.Tests.Support;

/// <summary>Builds targets and runs one probe through the real cycle runner (timeouts and classification included).</summary>
public static class ProbeHarness
{
    /// <summary>
    /// The shipped options but for the warm-up, which these tests of single probes and cycles do not need (it has tests
    /// of its own, and the pipeline tests run with it).
    /// </summary>
    public static SyntheticsOptions Options(Action<ProbingOptions>? configure = null)
    {
        var options = new SyntheticsOptions { VantagePoint = "test-vantage" };
        options.Probing.WarmUp = false;
        configure?.Invoke(options.Probing);
        return options;
    }

    public static ProbeCycleRunner Runner(SyntheticsOptions? options = null, TimeProvider? time = null, IEnumerable<IProbe>? probes = null) =>
        new(probes ?? SyntheticsServiceCollectionExtensions.BuiltInProbes(), time ?? TimeProvider.System,
            Microsoft.Extensions.Options.Options.Create(options ?? Options()), NullLogger<ProbeCycleRunner>.Instance);

    public static Target Https(int port, TestPki? pki, string path = "/healthz", double timeoutSeconds = 5, string host = "127.0.0.1",
        int expectStatus = 200, string? expectBody = null, double slowMs = 2000) => new()
    {
        Name = "web",
        Kind = TargetKind.Http,
        Region = "ca-central",
        Endpoint = new TargetEndpoint(host, port, UseTls: true),
        Timeout = TimeSpan.FromSeconds(timeoutSeconds),
        SlowThreshold = TimeSpan.FromMilliseconds(slowMs),
        Probes = new HashSet<string> { "tcp", "tls", "http" },
        TrustedCertificates = pki?.Trusted,
        Http = new HttpExpectation(new Uri($"https://{host}:{port}{path}"), expectStatus, expectBody),
    };

    public static Target PlainHttp(int port, double timeoutSeconds = 5) => new()
    {
        Name = "plain",
        Kind = TargetKind.Http,
        Region = "ca-central",
        Endpoint = new TargetEndpoint("127.0.0.1", port, UseTls: false),
        Timeout = TimeSpan.FromSeconds(timeoutSeconds),
        SlowThreshold = TimeSpan.FromSeconds(10),
        Probes = new HashSet<string> { "tcp", "http" },
        Http = new HttpExpectation(new Uri($"http://127.0.0.1:{port}/healthz"), 200, null),
    };

    public static Target KubernetesApi(int port, TestPki pki, string token, double timeoutSeconds = 5) => new()
    {
        Name = "ca-prod-api",
        Kind = TargetKind.KubernetesApi,
        Region = "ca-central",
        Endpoint = new TargetEndpoint("127.0.0.1", port, UseTls: true),
        Timeout = TimeSpan.FromSeconds(timeoutSeconds),
        SlowThreshold = TimeSpan.FromSeconds(10),
        Probes = new HashSet<string> { "tcp", "tls", "kube-health" },
        TrustedCertificates = pki.Trusted,
        // Election timings scaled down so a canary run takes seconds, not the production hold.
        Canary = new KubernetesCanarySettings
        {
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromSeconds(0.5),
            Hold = TimeSpan.FromSeconds(2),
            ApiCallTimeout = TimeSpan.FromSeconds(1),
        },
        Kubernetes = new KubernetesCredentials
        {
            Server = new Uri($"https://127.0.0.1:{port}"),
            BearerToken = token,
            KubeconfigPath = "test.kubeconfig",
        },
    };

    public static async Task<ProbeResult> RunAsync(Target target, string probe, ProbeCycleRunner? runner = null)
    {
        runner ??= Runner();
        var instance = SyntheticsServiceCollectionExtensions.BuiltInProbes().Single(p => p.Name == probe);
        // Off the test framework's synchronization context, as the cycle runner runs every probe.
        var result = await Task.Run(() => runner.RunOneAsync(target, instance, CancellationToken.None, CancellationToken.None));
        return result ?? throw new InvalidOperationException("the runner returned no result without host cancellation");
    }
}
