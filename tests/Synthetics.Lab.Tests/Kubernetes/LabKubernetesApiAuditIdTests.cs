namespace Synthetics.Lab.Tests.Kubernetes;

/// <summary>The lab's API echoes <c>Audit-ID</c> on every answer, as kube-apiserver's audit filter does.</summary>
public sealed class LabKubernetesApiAuditIdTests
{
    [Theory]
    [InlineData("readyz?verbose", TestCluster.Token)]
    [InlineData("apis/coordination.k8s.io/v1/namespaces/default/leases", TestCluster.Token)]
    [InlineData("apis/coordination.k8s.io/v1/namespaces/default/leases", null)] // refused before authentication ends: still echoed
    [InlineData("no/such/route", TestCluster.Token)]
    public async Task Request_WithAuditId_AnswerEchoesIt(string path, string? token)
    {
        await using var cluster = await TestCluster.StartAsync();
        using var http = cluster.CreateHttpClient(token);
        var auditId = Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Audit-ID", auditId);

        using var response = await http.SendAsync(request);

        Assert.Equal([auditId], response.Headers.GetValues("Audit-Id"));
    }

    [Fact]
    public async Task Request_WithoutAuditId_AnswerCarriesOneTheServerMadeUp()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var http = cluster.CreateHttpClient();

        using var first = await http.GetAsync("version");
        using var second = await http.GetAsync("version");

        var ids = new[] { first, second }.Select(r => Guid.Parse(Assert.Single(r.Headers.GetValues("Audit-Id")))).ToList();
        Assert.NotEqual(ids[0], ids[1]);
    }
}
