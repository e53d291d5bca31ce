using Synthetics.Core.Tests.Support;
using Synthetics.Lab.Sockets;
using Synthetics.Results;

namespace Synthetics.Core.Tests.Probes;

public sealed class KubeHealthProbeTests(PkiFixture fixture) : IClassFixture<PkiFixture>
{
    private const string Token = "kube-token-that-must-never-leak";
    private readonly TestPki _pki = fixture.Pki;

    private const string ReadyVerbose = "[+]ping ok\n[+]log ok\n[+]etcd ok\n[+]informer-sync ok\nreadyz check passed\n";
    private const string FailingVerbose = "[+]ping ok\n[+]log ok\n[-]etcd failed: reason withheld\n[+]informer-sync ok\nreadyz check failed\n";
    private const string Version = """{"major":"1","minor":"31","gitVersion":"v1.31.4","platform":"linux/amd64"}""";

    /// <summary>An API server stand-in answering the three health requests on one keep-alive connection.</summary>
    private ScriptedServer ApiServer(Func<string, (int Status, string Body)> answer) =>
        ScriptedServer.Start(async (c, t) =>
        {
            await c.AuthenticateAsync(_pki.Valid, t);
            while (await c.ReadRequestHeadAsync(t) is { } head)
            {
                if (!head.Contains($"Authorization: Bearer {Token}\r\n", StringComparison.Ordinal))
                {
                    await c.RespondAsync(401, """{"kind":"Status","status":"Failure","reason":"Unauthorized","code":401}""", t, "application/json");
                    continue;
                }

                var path = head.Split(' ')[1];
                var (status, body) = answer(path);
                await c.RespondAsync(status, body, t, path.StartsWith("/version", StringComparison.Ordinal) ? "application/json" : "text/plain");
            }
        });

    [Fact]
    public async Task Run_HealthyApiServer_IsOkWithVersionAndTimings()
    {
        var paths = new List<string>();
        await using var server = ApiServer(path =>
        {
            lock (paths)
            {
                paths.Add(path);
            }

            return path.StartsWith("/version", StringComparison.Ordinal) ? (200, Version) : (200, ReadyVerbose);
        });

        var result = await ProbeHarness.RunAsync(ProbeHarness.KubernetesApi(server.Port, _pki, Token), "kube-health");

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Equal(["/readyz?verbose", "/livez?verbose", "/version"], paths);
        Assert.Equal("v1.31.4", result.Details["serverVersion"]);
        Assert.False(result.Details.ContainsKey("failedChecks"));
        Assert.NotNull(result.Phases.TlsMs);
        Assert.NotNull(result.Phases.TtfbMs);
        Assert.Equal(1, server.Accepted);
    }

    [Fact]
    public async Task Run_ReadyzFailingChecks_IsUnhealthyNamingTheChecks()
    {
        await using var server = ApiServer(path => path switch
        {
            "/readyz?verbose" => (500, FailingVerbose),
            "/version" => (200, Version),
            _ => (200, ReadyVerbose.Replace("readyz", "livez", StringComparison.Ordinal)),
        });

        var result = await ProbeHarness.RunAsync(ProbeHarness.KubernetesApi(server.Port, _pki, Token), "kube-health");

        Assert.Equal(ProbeOutcome.Unhealthy, result.Outcome);
        Assert.Equal(500, result.StatusCode);
        Assert.Equal(new[] { "etcd" }, result.Details["failedChecks"]);
        Assert.Equal("readyz failing: etcd", result.Message);
    }

    [Fact]
    public async Task Run_WrongToken_IsUnauthorizedAndNeverShowsTheToken()
    {
        await using var server = ApiServer(_ => (200, ReadyVerbose));
        var target = ProbeHarness.KubernetesApi(server.Port, _pki, "wrong-token-also-secret");

        var result = await ProbeHarness.RunAsync(target, "kube-health");

        Assert.Equal(ProbeOutcome.Unauthorized, result.Outcome);
        Assert.Equal(401, result.StatusCode);
        var json = ProbeResultJson.Serialize(result);
        Assert.DoesNotContain("wrong-token-also-secret", json, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, json, StringComparison.Ordinal);
    }
}
