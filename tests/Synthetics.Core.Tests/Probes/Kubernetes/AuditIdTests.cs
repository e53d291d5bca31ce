using Synthetics.Core.Tests.Support;
using Synthetics.Lab.Faults;
using Synthetics.Results;

namespace Synthetics.Core.Tests.Probes.Kubernetes;

/// <summary>
/// Every request to a Kubernetes API carries a fresh Audit-ID; a failed result keeps the last one and whether the API
/// server echoed it: echoed, the failure came from the API server; not echoed, from before it (NodeBalancer, network).
/// </summary>
public sealed class AuditIdTests(PkiFixture fixture) : IClassFixture<PkiFixture>
{
    private static (Guid Id, bool Echoed) Audit(ProbeResult result) =>
        (Guid.Parse((string)result.Details["auditId"]), (bool)result.Details["auditIdEchoed"]);

    [Fact]
    public async Task KubeApi_TokenRevoked_UnauthorizedCarryingTheAuditIdTheApiServerEchoed()
    {
        await using var lab = await KubeLab.StartAsync();
        var target = lab.Target(probes: "kube-api");
        lab.Api.RevokeToken(KubeLab.Token);

        var result = await lab.RunAsync(target, "kube-api");

        Assert.Equal(ProbeOutcome.Unauthorized, result.Outcome);
        Assert.True(Audit(result).Echoed, KubeLab.Describe(result));
    }

    [Fact]
    public async Task KubeApi_NodeBalancerBlackholes_TimeoutCarryingAnAuditIdNobodyEchoed()
    {
        await using var lab = await KubeLab.StartAsync(behindNodeBalancer: true);
        var target = lab.Target(probes: "kube-api");
        lab.NodeBalancer!.SetFaultPlan(new FaultPlan { Blackhole = true });

        var result = await lab.RunAsync(target, "kube-api");

        Assert.Equal(ProbeOutcome.Timeout, result.Outcome);
        Assert.False(Audit(result).Echoed, KubeLab.Describe(result));
    }

    [Fact]
    public async Task KubeHealth_CheckFailing_UnhealthyCarryingTheEchoedAuditId()
    {
        await using var lab = await KubeLab.StartAsync(behindNodeBalancer: true);
        var target = lab.Target(probes: "kube-health");
        lab.Api.SetFailingChecks("etcd");

        var result = await ProbeHarness.RunAsync(target, "kube-health");

        Assert.Equal(ProbeOutcome.Unhealthy, result.Outcome);
        Assert.True(Audit(result).Echoed, KubeLab.Describe(result));
    }

    [Fact]
    public async Task KubeApi_AnswerFromSomethingElse_AuditIdNotEchoed()
    {
        // A 503 from a proxy or load balancer in front of the API server: an answer, but not the API server's.
        await using var server = new HostileApiServer(fixture.Pki, (_, _) => (503, "text/html", "<html>Service Unavailable</html>"));

        var result = await ProbeHarness.RunAsync(ProbeHarness.KubernetesApi(server.Port, fixture.Pki, "token"), "kube-api");

        Assert.Equal(ProbeOutcome.HttpStatus, result.Outcome);
        Assert.False(Audit(result).Echoed, KubeLab.Describe(result));
    }

    [Fact]
    public async Task KubeApi_Healthy_OkWithoutAuditDetails()
    {
        await using var lab = await KubeLab.StartAsync();

        var result = await lab.RunAsync(lab.Target(probes: "kube-api"), "kube-api");

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.False(result.Details.ContainsKey("auditId"));
    }
}
