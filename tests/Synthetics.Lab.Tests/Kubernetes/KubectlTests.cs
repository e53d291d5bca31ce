using System.Diagnostics;
using k8s;
using k8s.Models;

namespace Synthetics.Lab.Tests.Kubernetes;

/// <summary>
/// Real kubectl (the machine's, installed by <c>.ci/run</c> when missing) against the lab's API, as against
/// kube-apiserver: API discovery first, then Leases listed across namespaces, read as YAML and watched.
/// </summary>
public sealed class KubectlTests : IAsyncLifetime
{
    private const string Namespace = "kube-system";
    private const string LeaseName = "cert-manager-controller";

    private readonly string _cache = Directory.CreateTempSubdirectory("kubectl-cache-").FullName;
    private TestCluster? _cluster;

    private TestCluster Cluster => _cluster!;

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        await Cluster.CreateClient().CoordinationV1.CreateNamespacedLeaseAsync(
            new V1Lease
            {
                Metadata = new V1ObjectMeta { Name = LeaseName, NamespaceProperty = Namespace },
                Spec = new V1LeaseSpec { HolderIdentity = "cert-manager-1", LeaseDurationSeconds = 60 },
            },
            Namespace);
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Directory.Delete(_cache, recursive: true);
    }

    private ProcessStartInfo Kubectl(params string[] arguments)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--kubeconfig", Cluster.KubeconfigPath, "--cache-dir", _cache, "--request-timeout", "20s" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private async Task<string> RunAsync(params string[] arguments)
    {
        using var process = Process.Start(Kubectl(arguments))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"kubectl {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}");
        return await output;
    }

    [Fact]
    public async Task GetLeasesInAllNamespaces_ListsTheLease()
    {
        var output = await RunAsync("get", "leases", "-A");

        var row = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains(LeaseName, StringComparison.Ordinal));
        Assert.StartsWith(Namespace, row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetLeaseAsYaml_ShowsItsHolder()
    {
        var output = await RunAsync("get", "lease", LeaseName, "-n", Namespace, "-o", "yaml");

        Assert.Contains("kind: Lease", output, StringComparison.Ordinal);
        Assert.Contains("holderIdentity: cert-manager-1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchLeases_PrintsTheLeaseThenItsChange()
    {
        using var process = Process.Start(Kubectl("get", "leases", "-n", Namespace, "-w", "-o", "custom-columns=NAME:.metadata.name,HOLDER:.spec.holderIdentity"))!;
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Assert.Contains("NAME", await process.StandardOutput.ReadLineAsync(patience.Token), StringComparison.Ordinal);
            Assert.Contains("cert-manager-1", await process.StandardOutput.ReadLineAsync(patience.Token), StringComparison.Ordinal);

            var client = Cluster.CreateClient();
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName, Namespace);
            lease.Spec.HolderIdentity = "cert-manager-2";
            await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, LeaseName, Namespace);

            Assert.Contains("cert-manager-2", await process.StandardOutput.ReadLineAsync(patience.Token), StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
