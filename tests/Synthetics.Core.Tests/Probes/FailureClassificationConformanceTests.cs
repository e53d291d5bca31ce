using System.Net.Sockets;
using Synthetics.Core.Tests.Support;
using Synthetics.Lab.Sockets;
using Synthetics.Probes;
using Synthetics.Results;
using Synthetics.Targets;

namespace Synthetics.Core.Tests.Probes;

/// <summary>
/// One classification per failure: every probe that gets as far as the failure, pointed at the same broken server, reports
/// the same outcome, whether it speaks through its own sockets (tcp, tls, http, kube-health) or through KubernetesClient
/// (kube-api, lease-canary, watch).
/// </summary>
public sealed class FailureClassificationConformanceTests(PkiFixture fixture) : IClassFixture<PkiFixture>
{
    private static readonly string[] TlsProbes = ["tls", "http", "kube-health", "kube-api", "lease-canary", "watch"];

    private readonly TestPki _pki = fixture.Pki;

    public static TheoryData<string> Failures() => ["untrusted certificate", "expired certificate", "refused", "reset", "stall"];

    private static ProbeOutcome Expected(string failure) => failure switch
    {
        "untrusted certificate" or "expired certificate" => ProbeOutcome.TlsFailure,
        "refused" => ProbeOutcome.Refused,
        "reset" => ProbeOutcome.Reset,
        _ => ProbeOutcome.Timeout,
    };

    // The probes the failure reaches: a bare connect succeeds against everything but a closed port.
    private static string[] Reached(string failure) => failure == "refused" ? ["tcp", .. TlsProbes] : TlsProbes;

    private ScriptedServer? Start(string failure) => failure switch
    {
        "untrusted certificate" => ScriptedServer.Start(async (c, t) => await c.AuthenticateAsync(_pki.FromOtherCa, t)),
        "expired certificate" => ScriptedServer.Start(async (c, t) => await c.AuthenticateAsync(_pki.Expired, t)),
        "reset" => ScriptedServer.Start((c, _) =>
        {
            c.Reset();
            return Task.CompletedTask;
        }),
        "stall" => ScriptedServer.Start((c, t) => c.StallAsync(t)),
        _ => null,
    };

    private Target TargetFor(string probe, int port)
    {
        var kubernetes = ProbeHarness.KubernetesApi(port, _pki, "conformance-token", timeoutSeconds: 2);
        var target = probe is "tcp" or "tls" or "http" ? ProbeHarness.Https(port, _pki, timeoutSeconds: 2) : kubernetes;
        return target with { Probes = new HashSet<string> { probe } };
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task EveryProbe_SameBrokenServer_SameOutcome(string failure)
    {
        await using var server = Start(failure);
        var port = server?.Port ?? FreePort.Take();
        var expected = Expected(failure);

        var results = await Task.WhenAll(Reached(failure).Select(probe => ProbeHarness.RunAsync(TargetFor(probe, port), probe)));

        var table = string.Join("\n", results.Select(r => $"{r.Probe}: {r.Outcome.ToContractName()} ({r.Message})"));
        Assert.All(results, r => Assert.True(r.Outcome == expected, $"expected {expected.ToContractName()} everywhere:\n{table}"));
        Assert.All(results, r => Assert.DoesNotContain("Exception", r.Message ?? "", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task CertificateFailures_SameMessageInEveryProbe(string failure)
    {
        if (Expected(failure) != ProbeOutcome.TlsFailure)
        {
            return; // only certificate problems carry a reason worth comparing
        }

        await using var server = Start(failure);

        var results = await Task.WhenAll(TlsProbes.Select(probe => ProbeHarness.RunAsync(TargetFor(probe, server!.Port), probe)));

        Assert.Single(results.Select(r => r.Message).Distinct(StringComparer.Ordinal));
    }

    /// <summary>
    /// A name that does not resolve, as each path meets it (no resolver is asked: tests use no network): the network
    /// probes' own lookup, HttpClient's (kube-health, kube-api, watch), and the canary's failed call as recorded.
    /// </summary>
    [Fact]
    public void Classify_NameResolutionAsEveryProbeMeetsIt_DnsFailure()
    {
        var notFound = new SocketException((int)SocketError.HostNotFound);
        Exception[] shapes =
        [
            notFound,
            new HttpRequestException(HttpRequestError.NameResolutionError, "x", notFound),
            new HttpRequestException(HttpRequestError.NameResolutionError, "x", new IOException("y")),
            new k8s.Autorest.HttpOperationException("z", new HttpRequestException(HttpRequestError.NameResolutionError, "x", notFound)),
        ];

        Assert.All(shapes, e => Assert.Equal(ProbeOutcome.DnsFailure, OutcomeClassifier.Classify(e, ProbePhase.Dns).Outcome));
    }
}
