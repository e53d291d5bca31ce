using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Synthetics.Lab.Region;
using Synthetics.Lab.Scenarios;
using Synthetics.Results;
using Synthetics.Targets;
using Xunit.Abstractions;

namespace Synthetics.Lab.Tests.Region;

public sealed class LabRegionTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = RegionSupport.TempDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task StartAsync_Defaults_ListensOnEveryAdvertisedEndpoint()
    {
        var clock = Stopwatch.StartNew();
        await using var region = await LabRegion.StartAsync();

        // How long the start took is printed, not asserted: it measures the machine.
        output.WriteLine($"started in {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(["eu-west", "us-central", "asia-east"], region.Vantages);
        Assert.Equal([LabRegion.CaCentral, LabRegion.UsEast], region.Clusters.Select(c => c.LinodeRegion));
        Assert.Equal(["ca-prod-cp", "ca-web", "us-prod-cp"], region.NodeBalancers.Keys.Order(StringComparer.Ordinal));
        Assert.InRange(region.WebBackends.Names.Count, 2, 3);

        var endpoints = region.NodeBalancers.Values
            .SelectMany(nodeBalancer => region.Vantages.Select(nodeBalancer.GetEndpoint))
            .Select(endpoint => (endpoint.Address.ToString(), endpoint.Port))
            .Concat(new[] { region.LinodeApi.BaseAddress, region.StatusPage.BaseAddress, region.Ingestion.BaseAddress, region.AdminAddress }
                .Select(uri => (uri.Host, uri.Port)))
            .ToList();
        Assert.Equal(endpoints.Count, endpoints.Distinct().Count());
        foreach (var (host, port) in endpoints)
        {
            Assert.Equal("127.0.0.1", host);
            using var client = new TcpClient();
            await client.ConnectAsync(host, port);
            Assert.True(client.Connected, $"{host}:{port}");
        }
    }

    [Fact]
    public async Task WriteConfig_Healthy_LoadsWithTheProductsLoaderForEveryVantage()
    {
        await using var region = await LabRegion.StartAsync();

        var files = region.WriteConfig(_directory);

        var (options, targets) = RegionSupport.LoadCatalog(files.Config);
        Assert.Equal("eu-west", options.VantagePoint);
        Assert.Equal(["ca-prod-api", "us-prod-api", "ca-web", "ca-web-tcp"], targets.Select(t => t.Name));
        Assert.Equal([TargetKind.KubernetesApi, TargetKind.KubernetesApi, TargetKind.Http, TargetKind.Tcp], targets.Select(t => t.Kind));
        Assert.All(targets, target => Assert.NotEmpty(target.Labels));
        var caApi = targets[0];
        Assert.Equal(region.GetCluster(LabRegion.CaCentral).NodeBalancer.GetEndpoint("eu-west").Port, caApi.Endpoint.Port);
        Assert.Equal(region.WebNodeBalancer.GetEndpoint("eu-west").Port, targets[2].Endpoint.Port);
        Assert.NotNull(targets[2].TrustedCertificates);

        Assert.Equal(region.Vantages, files.VantageConfigs.Keys);
        foreach (var (vantage, path) in files.VantageConfigs)
        {
            Assert.Equal($"synthetics.{vantage}.json", Path.GetFileName(path));
            var (vantageOptions, vantageTargets) = RegionSupport.LoadCatalog(path);
            Assert.Equal(vantage, vantageOptions.VantagePoint);
            Assert.Equal(region.WebNodeBalancer.GetEndpoint(vantage).Port, vantageTargets.Single(t => t.Name == "ca-web-tcp").Endpoint.Port);
        }

        var manifest = JsonNode.Parse(File.ReadAllText(files.Manifest))!;
        Assert.Equal(region.LinodeApiToken, (string?)manifest["linodeApi"]!["token"]);
        Assert.Equal(new Uri(region.LinodeApi.BaseAddress, "v4/").ToString(), (string?)manifest["linodeApi"]!["url"]);
        Assert.Equal(region.IngestionConnectionString, (string?)manifest["ingestion"]!["connectionString"]);
        Assert.Equal(region.StatusPage.BaseAddress.ToString(), (string?)manifest["statusPage"]!["url"]);
        Assert.Equal(region.AdminAddress.ToString(), (string?)manifest["admin"]!["url"]);
    }

    [Fact]
    public async Task ProbeCycle_Healthy_EveryResultOk()
    {
        await using var region = await LabRegion.StartAsync();
        var files = region.WriteConfig(_directory);

        var report = await RegionSupport.RunCycleAsync(files.Config);

        // dns does not apply to IP targets: tcp+tls+kube-health twice, tcp+tls+http, tcp.
        // 2 clusters × 8 probes (no dns for addresses), web × 5, web-tcp × 2 (tcp and the new-connection series).
        Assert.Equal(23, report.Results.Count);
        Assert.All(report.Results, result => Assert.True(
            result.Outcome == ProbeOutcome.Ok, $"{result.Target}/{result.Probe}: {result.Outcome} {result.Message}"));
        Assert.All(report.Results, result => Assert.Equal("eu-west", result.Vantage));
    }

    [Fact]
    public async Task ProbeCycle_VantageBlip_BlippedVantageTimesOutWhileAnotherStaysOk()
    {
        await using var region = await LabRegion.StartAsync(new LabRegionOptions
        {
            Scenario = LabScenarios.VantageBlip,
            ScenarioOptions = new LabScenarioOptions { Onset = TimeSpan.Zero, Window = TimeSpan.FromMinutes(1) },
        });
        var files = region.WriteConfig(_directory);
        await RegionSupport.EventuallyAsync(
            () => region.NodeBalancers.Values.All(nb => nb.GetEffectiveFaultPlan("us-central").Blackhole), "the blip to apply");

        var blipped = RegionSupport.RunCycleAsync(files.VantageConfigs["us-central"], timeoutSeconds: 2);
        var fine = RegionSupport.RunCycleAsync(files.VantageConfigs["asia-east"], timeoutSeconds: 2);
        var reports = await Task.WhenAll(blipped, fine);

        // A blackholed listener still completes the TCP handshake (the lab cannot drop a SYN from user space), so
        // connect-only probes pass (tcp, and the sampler of a Tcp target); everything that needs an answer times out.
        var needAnswer = reports[0].Results.Where(r => r.Probe != "tcp" && r.TargetKind != "Tcp").ToList();
        Assert.All(needAnswer, result => Assert.True(
            result.Outcome == ProbeOutcome.Timeout, $"{result.Target}/{result.Probe}: {result.Outcome} {result.Message}"));
        Assert.Equal(18, needAnswer.Count);
        Assert.All(reports[1].Results, result => Assert.True(
            result.Outcome == ProbeOutcome.Ok, $"{result.Target}/{result.Probe}: {result.Outcome} {result.Message}"));
    }

    [Fact]
    public async Task ProbeCycle_CertExpiring_WebTlsProbeReportsCertExpiring()
    {
        await using var region = await LabRegion.StartAsync(new LabRegionOptions { Scenario = LabScenarios.CertExpiring });
        var files = region.WriteConfig(_directory);

        var report = await RegionSupport.RunCycleAsync(files.Config);

        var notAfter = region.WebBackends.ServerCertificate.NotAfter.ToUniversalTime();
        Assert.InRange(notAfter - DateTime.UtcNow, TimeSpan.FromDays(6.9), TimeSpan.FromDays(7));
        var tls = report.Results.Single(r => r.Target == "ca-web" && r.Probe == "tls");
        Assert.Equal(ProbeOutcome.CertExpiring, tls.Outcome);
        Assert.All(report.Results.Where(r => r.Target != "ca-web"), result => Assert.Equal(ProbeOutcome.Ok, result.Outcome));
    }

    [Fact]
    public async Task StartAsync_BadOptions_ThrowsNamingTheProblem()
    {
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => LabRegion.StartAsync(new LabRegionOptions { Scenario = "march-13" }));
        Assert.Contains("march-12", unknown.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => LabRegion.StartAsync(new LabRegionOptions { Vantages = ["a", "a"] }));
        await Assert.ThrowsAsync<ArgumentException>(() => LabRegion.StartAsync(new LabRegionOptions { Vantages = ["../etc"] }));
    }
}
