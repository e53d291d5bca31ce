using System.Text.Json.Nodes;
using Synthetics.Core.Tests.Support;
using Synthetics.Lab.LinodeApi;
using Synthetics.Lab.Region;
using Synthetics.Targets;

namespace Synthetics.Cli.Tests.Commands;

/// <summary><c>discover</c> and <c>run</c> with a Linode token, against the lab's Linode API (real HTTP on 127.0.0.1).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "disposed through IAsyncLifetime")]
public sealed class DiscoverCommandTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const string Token = "cli-linode-token-never-print-me";
    private readonly string _dir = Directory.CreateTempSubdirectory("synthetics-cli-discover-").FullName;
    private readonly LinodeApiServer _api = new(Estate(), Token);

    public Task InitializeAsync() => _api.StartAsync(CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static LinodeApiModel Estate()
    {
        var model = new LinodeApiModel();
        model.UpsertCluster(new LkeCluster { Id = 1001, Label = "ca-prod", Region = "ca-central", HighAvailability = true, ApiEndpoints = ["https://127.0.0.1:1"] });
        model.UpsertCluster(new LkeCluster { Id = 1002, Label = "us-prod", Region = "us-east", ApiEndpoints = ["https://127.0.0.1:2"] });
        model.UpsertNodeBalancer(new NodeBalancer { Id = 2001, Label = "ca-web", Region = "ca-central", Ipv4 = "127.0.0.1", Tags = ["web"] });
        model.UpsertConfig(new NodeBalancerConfig { Id = 3001, NodeBalancerId = 2001, Port = 3, Protocol = "http", Check = "http", CheckPath = "/healthz" });
        model.UpsertNodeBalancer(new NodeBalancer { Id = 2002, Label = "us-db", Region = "us-east", Ipv4 = "127.0.0.1" });
        model.UpsertConfig(new NodeBalancerConfig { Id = 3002, NodeBalancerId = 2002, Port = 4, Protocol = "tcp" });
        return model;
    }

    private static async Task<(int Exit, string Out, string Err)> Run(TimeSpan? stopAfter, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var stop = new CancellationTokenSource(stopAfter ?? Timeout.InfiniteTimeSpan);
        var exit = await CliApplication.RunAsync(args, output, error, stop.Token);
        return (exit, output.ToString(), error.ToString());
    }

    private string Config(string token = Token, string extra = "")
    {
        var path = Path.Combine(_dir, "synthetics.json");
        File.WriteAllText(path, $$"""
            { "Synthetics": {
                "VantagePoint": "cli-discover",
                "Maintenance": { "StatusPageUrl": "" },
                "Linode": { "Token": "{{token}}", "ApiUrl": "{{new Uri(_api.BaseAddress, "v4/")}}" } {{extra}} } }
            """);
        return path;
    }

    [Fact]
    public async Task Discover_Table_PrintsTargetsProbesAndTheDependencyMap()
    {
        var (exit, output, error) = await Run(null, "discover", "--config", Config());

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("Found 2 LKE clusters and 2 NodeBalancers: 4 targets.", output, StringComparison.Ordinal);
        Assert.Matches(@"ca-prod-api\s+KubernetesApi\s+ca-central\s+https://127\.0\.0\.1:1\s+disruption-new, tcp \(no kubeconfig: set Synthetics:Discovery:Kubeconfigs:1001\)\s+LKE cluster 1001", output);
        Assert.Matches(@"ca-web-3\s+Http\s+ca-central\s+http://127\.0\.0\.1:3/healthz\s+disruption-new, disruption-reused, http, tcp\s+NodeBalancer 2001", output);
        Assert.Contains("ca-prod-api → ca-central → CA-Central (Toronto) Linode Kubernetes Engine, CA-Central (Toronto) NodeBalancers", output, StringComparison.Ordinal);
        Assert.Contains("us-db-4 → us-east → US-East (Newark) NodeBalancers", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discover_Json_OneTargetsFormatLinePerTarget()
    {
        var (exit, output, _) = await Run(null, "discover", "--config", Config(), "--format", "json");

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(["ca-prod-api", "us-prod-api", "ca-web-3", "us-db-4"], lines.Select(l => l["Name"]!.GetValue<string>()));
        // Every field is a field of Synthetics:Targets, so a line can be pasted into the settings.
        var fields = typeof(TargetOptions).GetProperties().Select(p => p.Name).ToHashSet();
        Assert.All(lines, l => Assert.All(l.Select(p => p.Key), key => Assert.Contains(key, fields)));
        var db = lines.Single(l => l["Name"]!.GetValue<string>() == "us-db-4");
        Assert.Equal(("Tcp", "us-east", "127.0.0.1", 4), (db["Kind"]!.GetValue<string>(), db["Region"]!.GetValue<string>(), db["Host"]!.GetValue<string>(), db["Port"]!.GetValue<int>()));
        Assert.Equal("US-East (Newark) NodeBalancers", db["Labels"]!["dependsOn"]!.GetValue<string>());
    }

    [Fact]
    public async Task Discover_WrongToken_ExitsTwoWithOneLineNamingThe401()
    {
        const string wrong = "wrong-cli-token-3b7f";

        var (exit, output, error) = await Run(null, "discover", "--config", Config(wrong));

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: the Linode API could not be read: GET lke/clusters: the Linode API refused the token (401)", line, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discover_ApiFailing_ExitsOneWithOneLine()
    {
        _api.Fault = LinodeApiFault.ServerError;

        var (exit, _, error) = await Run(null, "discover", "--config", Config());

        Assert.Equal(1, exit);
        Assert.Equal("error: the Linode API could not be read: GET lke/clusters: the Linode API answered 500: Internal Server Error", error.Trim());
    }

    [Fact]
    public async Task Discover_NoToken_ExitsTwoNamingTheSetting()
    {
        var path = Path.Combine(_dir, "no-token.json");
        File.WriteAllText(path, """{ "Synthetics": { "VantagePoint": "cli-discover" } }""");

        var (exit, _, error) = await Run(null, "discover", "--config", path);

        Assert.Equal(2, exit);
        Assert.StartsWith("error: Synthetics:Linode:Token is not set", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NoHandWrittenTargets_DiscoversAtOnceAndProbesTheEstate()
    {
        var config = Config(extra: $$"""
            , "ProbeSchedule": "*/1 * * * * *",
            "Probing": { "Sampling": { "Enabled": false } },
            "Storage": {
              "ConnectionString": "{{azurite.ConnectionString}}",
              "TargetCatalogTable": "{{AzuriteFixture.UniqueTableName("CliCatalog")}}",
              "OutboxDirectory": "outbox" }
            """);

        var (exit, output, error) = await CliRun.UntilAsync(o => CliRun.Lines(o, CliRun.JsonCycleLine) >= 1, "run", "--config", config, "--format", "json");

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        var discovery = lines[0];
        Assert.Equal("discovery", discovery["type"]!.GetValue<string>());
        Assert.Equal(4, discovery["targets"]!.GetValue<int>());
        // Every port of the estate is closed: each of the 4 targets gets its tcp probe, and the Http one its http probe
        // (sampling is off: this is about what discovery yields).
        var cycle = lines.First(l => l["type"]!.GetValue<string>() == "cycle");
        Assert.Equal(5, cycle["results"]!.GetValue<int>());
        Assert.DoesNotContain(Token, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_AfterADiscovery_ProbesTheDiscoveredCatalogAsRunDoes()
    {
        var config = Config(extra: $$"""
            , "ProbeSchedule": "*/1 * * * * *",
            "Storage": {
              "ConnectionString": "{{azurite.ConnectionString}}",
              "TargetCatalogTable": "{{AzuriteFixture.UniqueTableName("CliProbeCatalog")}}",
              "OutboxDirectory": "outbox" }
            """);
        var (ran, _, _) = await CliRun.UntilAsync(o => CliRun.Lines(o, CliRun.JsonCycleLine) >= 1, "run", "--config", config, "--format", "json");

        var (exit, output, error) = await Run(null, "probe", "--config", config, "--once", "--format", "json");

        Assert.Equal(0, ran);
        Assert.Equal(0, exit);
        var targets = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!["target"]!.GetValue<string>()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["ca-prod-api", "ca-web-3", "us-db-4", "us-prod-api"], targets);
        Assert.DoesNotContain(Token, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discover_LabRegion_ListsBothClustersAndEveryNodeBalancerWithTheirRegions()
    {
        await using var lab = await LabRegion.StartAsync();
        var files = lab.WriteConfig(Path.Combine(_dir, "lab"));

        var (exit, output, error) = await Run(null, "discover", "--config", files.DiscoveryConfig!);

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("Found 2 LKE clusters and 3 NodeBalancers: 5 targets.", output, StringComparison.Ordinal);
        Assert.Matches(@"ca-prod-api\s+KubernetesApi\s+ca-central\s+\S+\s+disruption-new, disruption-reused, kube-api, kube-health, lease-canary, tcp, tls, watch", output);
        Assert.Matches(@"us-prod-api\s+KubernetesApi\s+us-east\s+\S+\s+disruption-new, disruption-reused, kube-api, kube-health, lease-canary, tcp, tls, watch", output);
        Assert.Contains("ca-prod-api → ca-central → CA-Central (Toronto) Linode Kubernetes Engine, CA-Central (Toronto) NodeBalancers", output, StringComparison.Ordinal);
        Assert.DoesNotContain(lab.LinodeApiToken, output, StringComparison.Ordinal);
    }
}
