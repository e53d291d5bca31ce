using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Synthetics.Core.Tests.Support;

namespace Synthetics.Lab.Tests.Kubernetes;

public sealed class LabKubernetesApiWatchTests
{
    private const string Namespace = "kube-system";
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(10);

    private static V1Lease NewLease(string name, string holder) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1LeaseSpec { HolderIdentity = holder, LeaseDurationSeconds = 15 },
    };

    [Fact]
    public async Task WatchListNamespacedLease_ChangesByAnotherClient_SeesAddedAndModified()
    {
        await using var cluster = await TestCluster.StartAsync();
        var watcher = cluster.CreateClient();
        var writer = cluster.CreateClient();
        await writer.CoordinationV1.CreateNamespacedLeaseAsync(NewLease("existing", "a"), Namespace);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = Channel.CreateUnbounded<(WatchEventType Type, V1Lease Lease)>();

        var watching = Task.Run(async () =>
        {
            try
            {
                await foreach (var (type, lease) in watcher.CoordinationV1.WatchListNamespacedLeaseAsync(
                    Namespace, timeoutSeconds: 30, cancellationToken: stop.Token))
                {
                    await events.Writer.WriteAsync((type, lease));
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        // Without a resourceVersion the watch replays the current state first.
        var replayed = await NextAsync(events.Reader);
        Assert.Equal((WatchEventType.Added, "existing"), (replayed.Type, replayed.Lease.Metadata.Name));

        var created = await writer.CoordinationV1.CreateNamespacedLeaseAsync(NewLease("x", "a"), Namespace);
        created.Spec.HolderIdentity = "b";
        await writer.CoordinationV1.ReplaceNamespacedLeaseAsync(created, "x", Namespace);
        await writer.CoordinationV1.DeleteNamespacedLeaseAsync("x", Namespace);

        var added = await NextAsync(events.Reader);
        var modified = await NextAsync(events.Reader);
        var deleted = await NextAsync(events.Reader);
        Assert.Equal((WatchEventType.Added, "x", "a"), (added.Type, added.Lease.Metadata.Name, added.Lease.Spec.HolderIdentity));
        Assert.Equal((WatchEventType.Modified, "x", "b"), (modified.Type, modified.Lease.Metadata.Name, modified.Lease.Spec.HolderIdentity));
        Assert.Equal(WatchEventType.Deleted, deleted.Type);

        await stop.CancelAsync();
        await watching;
    }

    [Fact]
    public async Task Watch_FromResourceVersion_SendsOnlyLaterEvents()
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = cluster.CreateClient();
        var first = await client.CoordinationV1.CreateNamespacedLeaseAsync(NewLease("first", "a"), Namespace);
        await client.CoordinationV1.CreateNamespacedLeaseAsync(NewLease("second", "a"), Namespace);
        using var http = cluster.CreateHttpClient();

        var lines = await ReadWatchAsync(
            http, $"apis/coordination.k8s.io/v1/namespaces/kube-system/leases?watch=1&resourceVersion={first.Metadata.ResourceVersion}&timeoutSeconds=1");

        var only = Assert.Single(lines);
        Assert.Equal("ADDED", (string?)only["type"]);
        Assert.Equal("second", (string?)only["object"]!["metadata"]!["name"]);
        Assert.Equal("Lease", (string?)only["object"]!["kind"]);
    }

    [Fact]
    public async Task Watch_ResourceVersionOlderThanHistory_SendsExpiredErrorEvent()
    {
        await using var cluster = await TestCluster.StartAsync(options => options.WatchHistoryLength = 2);
        var client = cluster.CreateClient();
        var first = await client.CoordinationV1.CreateNamespacedLeaseAsync(NewLease("a", "x"), Namespace);
        foreach (var name in new[] { "b", "c", "d" })
        {
            await client.CoordinationV1.CreateNamespacedLeaseAsync(NewLease(name, "x"), Namespace);
        }

        using var http = cluster.CreateHttpClient();
        var lines = await ReadWatchAsync(
            http, $"apis/coordination.k8s.io/v1/leases?watch=true&resourceVersion={first.Metadata.ResourceVersion}&timeoutSeconds=5");

        var error = Assert.Single(lines);
        Assert.Equal("ERROR", (string?)error["type"]);
        Assert.Equal(410, (int?)error["object"]!["code"]);
        Assert.Equal("Expired", (string?)error["object"]!["reason"]);
    }

    [Fact]
    public async Task Watch_FieldSelector_SendsOnlyMatchingLease()
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = cluster.CreateClient();
        await client.CoordinationV1.CreateNamespacedLeaseAsync(NewLease("a", "x"), Namespace);
        await client.CoordinationV1.CreateNamespacedLeaseAsync(NewLease("b", "x"), Namespace);
        using var http = cluster.CreateHttpClient();

        var lines = await ReadWatchAsync(
            http, "apis/coordination.k8s.io/v1/namespaces/kube-system/leases?watch=true&fieldSelector=metadata.name%3Db&timeoutSeconds=1");

        Assert.Equal("b", (string?)Assert.Single(lines)["object"]!["metadata"]!["name"]);
    }

    [Fact]
    public async Task Watch_TimeoutSeconds_StreamEndsCleanlyOnceTheTimeoutHasPassed()
    {
        var time = new RecordingTimeProvider();
        await using var cluster = await TestCluster.StartAsync(time: time);
        using var http = cluster.CreateHttpClient();

        var reading = ReadWatchAsync(http, "apis/coordination.k8s.io/v1/leases?watch=true&timeoutSeconds=1");
        await time.AdvanceToJustBeforeAsync(TimeSpan.FromSeconds(1));
        Assert.False(reading.IsCompleted, "the stream ended before its timeout");

        time.Advance(TimeSpan.FromTicks(1));

        Assert.Empty(await reading.WaitAsync(EventTimeout));
    }

    [Fact]
    public async Task Watch_ClientDisconnects_ServerReleasesWatch()
    {
        // On a clock that never moves, neither the watch's 30-minute timeout nor the server's stop timeout can fire:
        // a dispose that returns at all did not wait for the abandoned watch.
        var time = new RecordingTimeProvider();
        await using var cluster = await TestCluster.StartAsync(time: time);
        using var http = cluster.CreateHttpClient();
        using (var response = await http.GetAsync("apis/coordination.k8s.io/v1/leases?watch=true", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.True(response.IsSuccessStatusCode);
        }

        // The abandoned watch must not stop the server from serving, nor from stopping on dispose.
        Assert.Equal("ok", await http.GetStringAsync("readyz"));
        await cluster.Api.DisposeAsync().AsTask().WaitAsync(EventTimeout);
    }

    private static async Task<List<JsonNode>> ReadWatchAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = new List<JsonNode>();
        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Add(JsonNode.Parse(line)!);
        }

        return lines;
    }

    private static async Task<(WatchEventType Type, V1Lease Lease)> NextAsync(ChannelReader<(WatchEventType Type, V1Lease Lease)> reader)
    {
        using var timeout = new CancellationTokenSource(EventTimeout);
        return await reader.ReadAsync(timeout.Token);
    }
}
