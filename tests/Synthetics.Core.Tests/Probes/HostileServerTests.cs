using Microsoft.Extensions.Time.Testing;
using Synthetics.Core.Tests.Support;
using Synthetics.Probes;
using Synthetics.Probes.Kubernetes;
using Synthetics.Results;
using Synthetics.Targets;

namespace Synthetics.Core.Tests.Probes;

/// <summary>
/// An API server that answers the health checks but not the API as Kubernetes does: every probe reports what was wrong
/// as an outcome with a message (never an exception name), and the probes that retry send a bounded number of requests,
/// counted at the server.
/// </summary>
public sealed class HostileServerTests(PkiFixture fixture) : IClassFixture<PkiFixture>
{
    private const string Token = "hostile-token-never-print-me";
    private readonly TestPki _pki = fixture.Pki;

    /// <summary>Answers that are not what the API sends: (name, content type, body).</summary>
    public static TheoryData<string> Garbage() => ["html", "empty object", "truncated", "lease without spec", "empty body"];

    private static (int, string, string) Answer(string garbage) => garbage switch
    {
        "html" => (200, "text/html", "<html><body>Service temporarily in maintenance</body></html>"),
        "empty object" => (200, "application/json", "{}"),
        "truncated" => (200, "application/json", """{"kind":"Lease","apiVersion":"coordination.k8s.io/v1","metadata":{"name":"synth"""),
        "lease without spec" => (200, "application/json", """{"kind":"Lease","apiVersion":"coordination.k8s.io/v1","metadata":{"name":"x","resourceVersion":"3"}}"""),
        _ => (200, "application/json", ""),
    };

    private Target KubernetesTarget(int port, TimeSpan hold, TimeSpan retry) =>
        ProbeHarness.KubernetesApi(port, _pki, Token, timeoutSeconds: 2) with
        {
            Canary = new KubernetesCanarySettings
            {
                LeaseDuration = TimeSpan.FromSeconds(3),
                RenewDeadline = TimeSpan.FromSeconds(2),
                RetryPeriod = retry,
                Hold = hold,
                ApiCallTimeout = TimeSpan.FromSeconds(1),
            },
        };

    private static void AssertWords(ProbeResult result)
    {
        Assert.False(string.IsNullOrEmpty(result.Message), "no message");
        Assert.DoesNotContain("Exception", result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("maintenance", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task LeaseCanary_LeaseApiAnswersGarbage_UnexpectedBodyWithinTheStatedBound(string garbage)
    {
        await using var server = new HostileApiServer(_pki, (_, _) => Answer(garbage));
        var hold = TimeSpan.FromSeconds(2);
        var retry = TimeSpan.FromSeconds(0.5);

        var result = await ProbeHarness.RunAsync(KubernetesTarget(server.Port, hold, retry), "lease-canary");

        Assert.True(result.Outcome == ProbeOutcome.UnexpectedBody, $"{result.Outcome.ToContractName()}: {result.Message}");
        AssertWords(result);
        // The bound in LeaseCanaryProbe's docs: 2 × (⌊hold / retry⌋ + 1) + 1.
        var requests = server.Requests("lease") + server.Requests("create") + server.Requests("list");
        Assert.InRange(requests, 1, (2 * ((int)(hold / retry) + 1)) + 1);
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task KubeApi_ListAnswersGarbage_UnexpectedBody(string garbage)
    {
        await using var server = new HostileApiServer(_pki, (_, _) => Answer(garbage));

        var result = await ProbeHarness.RunAsync(KubernetesTarget(server.Port, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(0.5)), "kube-api");

        Assert.True(result.Outcome == ProbeOutcome.UnexpectedBody, $"{result.Outcome.ToContractName()}: {result.Message}");
        AssertWords(result);
        Assert.Equal(1, server.Requests("list"));
    }

    [Fact]
    public async Task Watch_WatchAnswersGarbage_BacksOffWithinTheStatedBound()
    {
        await using var server = new HostileApiServer(_pki, (route, _) => route == "list"
            ? (200, "application/json", HostileApiServer.LeaseList)
            : (200, "application/json", "this is not a watch event\n"));
        var hold = TimeSpan.FromSeconds(20);
        var target = KubernetesTarget(server.Port, hold, TimeSpan.FromSeconds(0.5));
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2025-03-12T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        // The shortest pauses: the most reconnects the backoff allows.
        var probe = new WatchProbe(new LeaseCanaryJournal()) { Jitter = () => 0 };
        var runner = ProbeHarness.Runner(time: time, probes: [probe]);

        var run = Task.Run(() => runner.RunOneAsync(target, probe, CancellationToken.None, CancellationToken.None));
        // Fake time moves only while the probe runs; how fast does not matter, the bound holds for any pace.
        for (var step = 0; step < 5000 && !run.IsCompleted; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(2);
        }

        var result = await run;

        Assert.NotNull(result);
        Assert.True(result.Outcome == ProbeOutcome.UnexpectedBody, $"{result.Outcome.ToContractName()}: {result.Message}");
        AssertWords(result);
        Assert.Equal(1, server.Requests("list"));
        // The bound in WatchProbe's docs: 1 list + MaxConnections(hold + linger) watches; 5 for a 21 s window.
        Assert.Equal(5, ReconnectBackoff.MaxConnections(hold + KubernetesCanarySettings.Default.WatchLinger));
        Assert.InRange(server.Requests("watch"), 2, ReconnectBackoff.MaxConnections(hold + KubernetesCanarySettings.Default.WatchLinger));
        Assert.Equal(server.Requests("watch"), Convert.ToInt32(result.Details["watchRequests"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task KubeHealth_ReadyzAnswersAPage_UnexpectedBody()
    {
        await using var server = new HostileApiServer(_pki, (_, _) => (200, "text/html", "<html>ok</html>"));
        var target = KubernetesTarget(server.Port, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(0.5));
        await using var page = Synthetics.Lab.Sockets.ScriptedServer.Start(async (c, t) =>
        {
            await c.AuthenticateAsync(_pki.Valid, t);
            await c.ReadRequestHeadAsync(t);
            await c.RespondAsync(200, "<html>Welcome to nginx</html>", t, "text/html", keepAlive: false);
        });

        var result = await ProbeHarness.RunAsync(ProbeHarness.KubernetesApi(page.Port, _pki, Token), "kube-health");

        Assert.True(result.Outcome == ProbeOutcome.UnexpectedBody, $"{result.Outcome.ToContractName()}: {result.Message}");
        Assert.Equal("readyz answered 200 without the verbose health check lines", result.Message);
    }

    [Fact]
    public async Task KubeHealth_HealthyServer_OkAgainstTheHostileServersHealthChecks()
    {
        await using var server = new HostileApiServer(_pki, (_, _) => (200, "text/html", "<html/>"));

        var result = await ProbeHarness.RunAsync(ProbeHarness.KubernetesApi(server.Port, _pki, Token), "kube-health");

        Assert.True(result.Outcome == ProbeOutcome.Ok, $"{result.Outcome.ToContractName()}: {result.Message}");
        Assert.Equal(1, server.Requests("readyz"));
    }
}
