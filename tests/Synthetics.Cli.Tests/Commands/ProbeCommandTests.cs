using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Json.Schema;
using Synthetics.Lab.Certificates;
using Synthetics.Lab.Sockets;

namespace Synthetics.Cli.Tests.Commands;

public sealed class ProbeCommandTests : IDisposable
{
    private const string Secret = "lke-token-cli-never-print-me";
    private readonly string _dir = Directory.CreateTempSubdirectory("synthetics-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApplication.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private string Config(string targets, string extra = "")
    {
        var path = Path.Combine(_dir, "synthetics.json");
        File.WriteAllText(path, $$"""{ "Synthetics": { "VantagePoint": "cli-test", {{extra}} "Targets": [ {{targets}} ] } }""");
        return path;
    }

    [Fact]
    public async Task Probe_OnceAsJson_PrintsOneSchemaValidLinePerProbeSamplerIncluded()
    {
        await using var web = ScriptedServer.Start(async (c, t) =>
        {
            await c.ReadRequestHeadAsync(t);
            await c.RespondAsync(200, "ok", t);
        });
        var config = Config($$"""
            { "Name": "web", "Kind": "Http", "Region": "ca-central", "Url": "http://127.0.0.1:{{web.Port}}/healthz" },
            { "Name": "db", "Kind": "Tcp", "Region": "us-east", "Host": "127.0.0.1", "Port": {{web.Port}} }
            """);

        var (exit, output, error) = await Run("probe", "--config", config, "--once", "--format", "json");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // web: tcp, http and both sampler series; db: tcp and the new-connection series.
        Assert.Equal(6, lines.Length);
        var schema = JsonSchema.FromFile(FindShared("result.schema.json"));
        foreach (var line in lines)
        {
            var node = JsonNode.Parse(line);
            Assert.True(schema.Evaluate(node).IsValid, line);
            Assert.Equal("cli-test", node!["vantage"]!.GetValue<string>());
            Assert.Equal("ok", node["outcome"]!.GetValue<string>());
            if (node["probe"]!.GetValue<string>().StartsWith("disruption-", StringComparison.Ordinal))
            {
                Assert.Equal(5, node["details"]!["attempts"]!.GetValue<int>());
            }
        }
    }

    [Fact]
    public async Task Probe_VantageOption_OverridesConfig()
    {
        var config = Config("""{ "Name": "db", "Kind": "Tcp", "Region": "r", "Host": "127.0.0.1", "Port": 1 }""");

        var (exit, output, _) = await Run("probe", "--config", config, "--once", "--format", "json", "--vantage", "westeurope");

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToArray();
        Assert.Equal(["tcp", "disruption-new"], lines.Select(l => l["probe"]!.GetValue<string>()));
        Assert.All(lines, line => Assert.Equal("westeurope", line["vantage"]!.GetValue<string>()));
        Assert.All(lines, line => Assert.Equal("refused", line["outcome"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Probe_Table_ShowsATableForPeople()
    {
        var config = Config("""{ "Name": "db", "Kind": "Tcp", "Region": "r", "Host": "127.0.0.1", "Port": 1 }""");

        var (exit, output, _) = await Run("probe", "--config", config, "--once");

        Assert.Equal(0, exit);
        Assert.Matches(@"TARGET\s+PROBE\s+OUTCOME", output);
        Assert.Matches(@"db\s+tcp\s+refused", output);
        Assert.Matches(@"db\s+disruption-new\s+refused", output);
        Assert.Contains("2 probes, 2 failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_InvalidTarget_ExitsTwoNamingTargetAndFieldBeforeProbing()
    {
        var config = Config("""{ "Name": "ca-web", "Kind": "Http", "Region": "ca-central" }""");

        var (exit, output, error) = await Run("probe", "--config", config, "--once");

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("Synthetics:Targets[0] 'ca-web': Url is required for kind Http", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("probe", "--once")]
    [InlineData("probe", "--config", "x.json", "--format", "xml")]
    [InlineData("frobnicate")]
    public async Task Probe_BadUsage_ExitsTwo(params string[] args)
    {
        var (exit, _, error) = await Run(args);

        Assert.Equal(2, exit);
        Assert.StartsWith("error:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_MissingConfigFile_ExitsTwoNamingIt()
    {
        var (exit, _, error) = await Run("probe", "--config", Path.Combine(_dir, "absent.json"), "--once");

        Assert.Equal(2, exit);
        Assert.Contains("absent.json' does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_KubernetesTarget_NeverPrintsTokenOrKubeconfig()
    {
        using var ca = CertificateAuthority.Create("cli test CA", DateTimeOffset.UtcNow);
        using var certificate = ca.IssueServerCertificate(["localhost"], [IPAddress.Loopback], DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        await using var api = ScriptedServer.Start(async (c, t) =>
        {
            await c.AuthenticateAsync(certificate, t);
            while (await c.ReadRequestHeadAsync(t) is { } head)
            {
                await c.RespondAsync(401, $"Unauthorized; you sent {head.Length} bytes", t);
            }
        });
        var caData = Convert.ToBase64String(Encoding.UTF8.GetBytes(ca.CertificatePem));
        File.WriteAllText(Path.Combine(_dir, "lke.kubeconfig"), $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: lke1
              cluster:
                server: https://127.0.0.1:{api.Port}
                certificate-authority-data: {caData}
            users:
            - name: u
              user:
                token: {Secret}
            contexts:
            - name: c
              context:
                cluster: lke1
                user: u
            current-context: c
            """);
        var config = Config("""{ "Name": "ca-prod-api", "Kind": "KubernetesApi", "Region": "ca-central", "Kubeconfig": "lke.kubeconfig", "CanaryHoldSeconds": 5 }""");

        var json = await Run("probe", "--config", config, "--once", "--format", "json");
        var table = await Run("probe", "--config", config, "--once", "--format", "table");

        Assert.Equal(0, json.Exit);
        Assert.Contains("\"outcome\":\"unauthorized\"", json.Out, StringComparison.Ordinal);
        // Every Kubernetes probe reports the refusal, both sampler series included; the canary stops at it instead of holding on for its whole period.
        Assert.Equal(6, json.Out.Split('\n').Count(l => l.Contains("\"outcome\":\"unauthorized\"", StringComparison.Ordinal)));
        foreach (var text in new[] { json.Out, json.Err, table.Out, table.Err })
        {
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(caData[..40], text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Probe_WithoutOnce_RunsCyclesOnScheduleUntilCancelled()
    {
        var config = Config("""{ "Name": "db", "Kind": "Tcp", "Region": "r", "Host": "127.0.0.1", "Port": 1 }""", "\"ProbeSchedule\": \"* * * * * *\", \"Probing\": { \"Sampling\": { \"Enabled\": false } },");
        // One result line per cycle: stopped once a second cycle printed, however long the process took to get there.
        var (exit, output, _) = await CliRun.UntilAsync(o => CliRun.Lines(o, "{") >= 2, "probe", "--config", config, "--format", "json");

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 2, $"{lines.Length} cycles printed");
        // Each cycle's result starts on its own tick of the every-second schedule.
        Assert.Equal(lines.Length, lines.Select(l => JsonNode.Parse(l)!["timestamp"]!.GetValue<string>()[..19]).Distinct().Count());
    }

    private static string FindShared(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"shared/{name} not found above {AppContext.BaseDirectory}");
    }
}
