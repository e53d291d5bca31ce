using System.Diagnostics;
using Synthetics.Core.Tests.Support;
using Synthetics.Lab.Sockets;
using Synthetics.Probes;
using Synthetics.Targets;

namespace Synthetics.Core.Tests.Probes;

/// <summary>What every probe promises, checked for each built-in probe (a new probe is covered by registering it).</summary>
public sealed class ProbeConformanceTests(PkiFixture fixture) : IClassFixture<PkiFixture>
{
    private readonly TestPki _pki = fixture.Pki;

    public static TheoryData<string> ProbeNames() => [.. SyntheticsServiceCollectionExtensions.BuiltInProbes().Select(p => p.Name)];

    private static IProbe Probe(string name) => SyntheticsServiceCollectionExtensions.BuiltInProbes().Single(p => p.Name == name);

    /// <summary>A target this probe applies to, pointing at <paramref name="port"/> on 127.0.0.1.</summary>
    private Target TargetFor(IProbe probe, int port, double timeoutSeconds)
    {
        var https = ProbeHarness.Https(port, _pki, timeoutSeconds: timeoutSeconds);
        var kubernetes = ProbeHarness.KubernetesApi(port, _pki, "conformance-token", timeoutSeconds);
        var candidate = probe.AppliesTo(https.Kind, https.Endpoint) ? https : kubernetes;
        Assert.True(probe.AppliesTo(candidate.Kind, candidate.Endpoint), $"{probe.Name} applies to neither an https Http target nor a KubernetesApi target");
        return candidate with { Probes = new HashSet<string> { probe.Name } };
    }

    [Theory]
    [MemberData(nameof(ProbeNames))]
    public void Probe_IsSealedAndInternal(string name)
    {
        var type = Probe(name).GetType();

        Assert.True(type.IsSealed, $"{type.Name} is not sealed");
        Assert.False(type.IsPublic, $"{type.Name} is public");
    }

    [Theory]
    [MemberData(nameof(ProbeNames))]
    public async Task Probe_TargetRefusesConnections_ReportsFailureInsteadOfThrowing(string name)
    {
        var probe = Probe(name);
        if (name == "dns")
        {
            return; // resolves a name, connects to nothing: an address target is exactly what it does not apply to
        }

        var result = await Task.Run(() => ProbeHarness.Runner().RunOneAsync(
            TargetFor(probe, FreePort.Take(), 5), probe, CancellationToken.None, CancellationToken.None));

        Assert.NotNull(result);
        Assert.False(result.Success);
        Assert.Equal(name, result.Probe);
    }

    [Theory]
    [MemberData(nameof(ProbeNames))]
    public async Task Probe_HostCancels_StopsPromptly(string name)
    {
        var probe = Probe(name);
        if (name == "dns")
        {
            return;
        }

        await using var stalled = ScriptedServer.Start((c, t) => c.StallAsync(t));
        using var host = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var watch = Stopwatch.StartNew();

        var result = await Task.Run(() => ProbeHarness.Runner().RunOneAsync(
            TargetFor(probe, stalled.Port, 60), probe, CancellationToken.None, host.Token));

        // A probe may finish before the host cancels (a bare connect is instant); one still running must stop, with no result.
        Assert.True(result is null || result.DurationMs < 200, $"a result after host cancellation: {result?.Outcome}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed} after the host cancelled");
    }
}
