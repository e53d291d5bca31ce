using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Synthetics.Lab.Tests.Kubernetes;

public sealed class LabKubernetesApiLeaseTests
{
    private const string Namespace = "kube-system";

    private static V1Lease NewLease(string name, string holder) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
        Spec = new V1LeaseSpec
        {
            HolderIdentity = holder,
            LeaseDurationSeconds = 15,
            AcquireTime = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            RenewTime = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        },
    };

    [Fact]
    public async Task ListNamespacedLease_AfterCreate_ReturnsLeaseWithServerSetFields()
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = cluster.CreateClient();

        var created = await client.CoordinationV1.CreateNamespacedLeaseAsync(NewLease("kube-scheduler", "node-a"), Namespace);
        var list = await client.CoordinationV1.ListNamespacedLeaseAsync(Namespace);

        var lease = Assert.Single(list.Items);
        Assert.Equal("kube-scheduler", lease.Metadata.Name);
        Assert.Equal("node-a", lease.Spec.HolderIdentity);
        Assert.False(string.IsNullOrEmpty(lease.Metadata.Uid));
        Assert.NotNull(lease.Metadata.CreationTimestamp);
        Assert.Equal(created.Metadata.ResourceVersion, lease.Metadata.ResourceVersion);
        Assert.True(long.Parse(list.Metadata.ResourceVersion) >= long.Parse(lease.Metadata.ResourceVersion));
        Assert.Empty((await client.CoordinationV1.ListNamespacedLeaseAsync("default")).Items);
        Assert.Single((await client.CoordinationV1.ListLeaseForAllNamespacesAsync()).Items);
    }

    [Fact]
    public async Task CreateNamespacedLease_AlreadyExists_Returns409AlreadyExists()
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = cluster.CreateClient();
        await client.CoordinationV1.CreateNamespacedLeaseAsync(NewLease("x", "a"), Namespace);

        var error = await Assert.ThrowsAsync<HttpOperationException>(
            () => client.CoordinationV1.CreateNamespacedLeaseAsync(NewLease("x", "b"), Namespace));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        var status = JsonNode.Parse(error.Response.Content)!;
        Assert.Equal("AlreadyExists", (string?)status["reason"]);
        Assert.Equal("leases.coordination.k8s.io \"x\" already exists", (string?)status["message"]);
    }

    [Fact]
    public async Task ReplaceNamespacedLease_CurrentResourceVersion_StoresChangeAndBumpsVersion()
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = cluster.CreateClient();
        var created = await client.CoordinationV1.CreateNamespacedLeaseAsync(NewLease("x", "a"), Namespace);

        created.Spec.HolderIdentity = "b";
        var replaced = await client.CoordinationV1.ReplaceNamespacedLeaseAsync(created, "x", Namespace);

        Assert.Equal("b", replaced.Spec.HolderIdentity);
        Assert.True(long.Parse(replaced.Metadata.ResourceVersion) > long.Parse(created.Metadata.ResourceVersion));
        Assert.Equal(created.Metadata.Uid, replaced.Metadata.Uid);
        Assert.Equal("b", (await client.CoordinationV1.ReadNamespacedLeaseAsync("x", Namespace)).Spec.HolderIdentity);
    }

    [Fact]
    public async Task ReplaceNamespacedLease_StaleResourceVersion_Returns409Conflict()
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = cluster.CreateClient();
        var created = await client.CoordinationV1.CreateNamespacedLeaseAsync(NewLease("x", "a"), Namespace);
        var stale = await client.CoordinationV1.ReadNamespacedLeaseAsync("x", Namespace);
        created.Spec.HolderIdentity = "b";
        await client.CoordinationV1.ReplaceNamespacedLeaseAsync(created, "x", Namespace);

        stale.Spec.HolderIdentity = "c";
        var error = await Assert.ThrowsAsync<HttpOperationException>(
            () => client.CoordinationV1.ReplaceNamespacedLeaseAsync(stale, "x", Namespace));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        var status = JsonNode.Parse(error.Response.Content)!;
        Assert.Equal("Conflict", (string?)status["reason"]);
        Assert.Equal(
            "Operation cannot be fulfilled on leases.coordination.k8s.io \"x\": the object has been modified; please apply your changes to the latest version and try again",
            (string?)status["message"]);
        Assert.Equal("b", cluster.Api.GetLease(Namespace, "x")!.Spec.HolderIdentity);
    }

    [Fact]
    public async Task ReadNamespacedLease_Missing_Returns404NotFoundStatus()
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = cluster.CreateClient();

        var error = await Assert.ThrowsAsync<HttpOperationException>(
            () => client.CoordinationV1.ReadNamespacedLeaseAsync("nope", Namespace));

        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
        Assert.Equal("NotFound", (string?)JsonNode.Parse(error.Response.Content)!["reason"]);
    }

    [Fact]
    public async Task PatchNamespacedLease_MergeAndJsonPatch_ApplyToStoredLease()
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = cluster.CreateClient();
        await client.CoordinationV1.CreateNamespacedLeaseAsync(NewLease("x", "a"), Namespace);

        var merged = await client.CoordinationV1.PatchNamespacedLeaseAsync(
            new V1Patch("{\"spec\":{\"holderIdentity\":\"b\",\"leaseDurationSeconds\":null}}", V1Patch.PatchType.MergePatch), "x", Namespace);
        var strategic = await client.CoordinationV1.PatchNamespacedLeaseAsync(
            new V1Patch("{\"metadata\":{\"labels\":{\"app\":\"lab\"}}}", V1Patch.PatchType.StrategicMergePatch), "x", Namespace);
        var jsonPatched = await client.CoordinationV1.PatchNamespacedLeaseAsync(
            new V1Patch("[{\"op\":\"test\",\"path\":\"/spec/holderIdentity\",\"value\":\"b\"},{\"op\":\"replace\",\"path\":\"/spec/holderIdentity\",\"value\":\"c\"}]", V1Patch.PatchType.JsonPatch),
            "x",
            Namespace);

        Assert.Equal("b", merged.Spec.HolderIdentity);
        Assert.Null(merged.Spec.LeaseDurationSeconds);
        Assert.Equal("lab", strategic.Metadata.Labels["app"]);
        Assert.Equal("c", jsonPatched.Spec.HolderIdentity);
        Assert.Equal("lab", jsonPatched.Metadata.Labels["app"]);
    }

    [Fact]
    public async Task PatchNamespacedLease_StaleResourceVersionInPatch_Returns409Conflict()
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = cluster.CreateClient();
        await client.CoordinationV1.CreateNamespacedLeaseAsync(NewLease("x", "a"), Namespace);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoordinationV1.PatchNamespacedLeaseAsync(
            new V1Patch("{\"metadata\":{\"resourceVersion\":\"1\"},\"spec\":{\"holderIdentity\":\"b\"}}", V1Patch.PatchType.MergePatch), "x", Namespace));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
    }

    [Fact]
    public async Task DeleteNamespacedLease_Existing_ReturnsSuccessStatusAndRemovesLease()
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = cluster.CreateClient();
        var created = await client.CoordinationV1.CreateNamespacedLeaseAsync(NewLease("x", "a"), Namespace);

        var status = await client.CoordinationV1.DeleteNamespacedLeaseAsync("x", Namespace);

        Assert.Equal("Success", status.Status);
        Assert.Equal(created.Metadata.Uid, status.Details.Uid);
        Assert.Null(cluster.Api.GetLease(Namespace, "x"));
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoordinationV1.DeleteNamespacedLeaseAsync("x", Namespace));
        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
    }

    [Fact]
    public async Task GetLease_RawJson_HasKubernetesShapeAndMicroTimes()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.CreateClient().CoordinationV1.CreateNamespacedLeaseAsync(NewLease("x", "a"), Namespace);
        using var http = cluster.CreateHttpClient();

        var lease = JsonNode.Parse(await http.GetStringAsync("apis/coordination.k8s.io/v1/namespaces/kube-system/leases/x"))!;
        var list = JsonNode.Parse(await http.GetStringAsync("apis/coordination.k8s.io/v1/namespaces/kube-system/leases"))!;

        Assert.Equal("Lease", (string?)lease["kind"]);
        Assert.Equal("coordination.k8s.io/v1", (string?)lease["apiVersion"]);
        Assert.Equal("2024-01-01T00:00:00.000000Z", (string?)lease["spec"]!["renewTime"]);
        Assert.Equal("2024-01-01T00:00:00.000000Z", (string?)lease["spec"]!["acquireTime"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", (string?)lease["metadata"]!["creationTimestamp"]);
        Assert.Equal("LeaseList", (string?)list["kind"]);
        Assert.NotNull((string?)list["metadata"]!["resourceVersion"]);
        Assert.Single(list["items"]!.AsArray());
    }
}
