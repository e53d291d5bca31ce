using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Synthetics.Cli.Tests.Commands;

/// <summary>
/// Every error a user sees is one or a few lines naming what is wrong and where: each configuration error the tests know,
/// run through the command line, exits 2 with <c>error: …</c>, no stack trace, no exception type name, no secret; each
/// kubeconfig or CA bundle that cannot be had is one warning line, and a result, while the other targets are probed.
/// </summary>
public sealed partial class ErrorOutputTests : IDisposable
{
    private const string Secret = "lke-token-errors-never-print-me";
    private const string CaData = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJ4ekNDQVcyZ0F3SUJBZ0lVY2x1bWF4CnRydW5jYXRlZAo=";
    private readonly string _dir = Directory.CreateTempSubdirectory("synthetics-errors-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("synthetics-outside-").FullName;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    [GeneratedRegex(@"\b[A-Z][A-Za-z]*Exception\b")]
    private static partial Regex ExceptionTypeName();

    private static string Kubeconfig(string cluster, string user) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: lke1
          cluster:
            server: https://127.0.0.1:6443
        {cluster}
        users:
        - name: lke1-admin
          user:
        {user}
        contexts:
        - name: lke1-ctx
          context:
            cluster: lke1
            user: lke1-admin
        current-context: lke1-ctx
        """;

    /// <summary>Configuration errors by name: the Synthetics section's targets, and any kubeconfig files they need.</summary>
    public static TheoryData<string> Cases() => [.. CaseTable.Keys];

    private static readonly Dictionary<string, (string Targets, (string Name, string Content)[] Files)> CaseTable = new()
    {
        ["unknown kind"] = ("""{ "Name": "a", "Kind": "Ftp", "Region": "r" }""", []),
        ["no kind"] = ("""{ "Name": "a", "Region": "r" }""", []),
        ["http without url"] = ("""{ "Name": "a", "Kind": "Http", "Region": "r" }""", []),
        ["ftp url"] = ("""{ "Name": "a", "Kind": "Http", "Region": "r", "Url": "ftp://x/" }""", []),
        ["tcp without host"] = ("""{ "Name": "a", "Kind": "Tcp", "Region": "r", "Port": 22 }""", []),
        ["tcp without port"] = ("""{ "Name": "a", "Kind": "Tcp", "Region": "r", "Host": "h" }""", []),
        ["port out of range"] = ("""{ "Name": "a", "Kind": "Tcp", "Region": "r", "Host": "h", "Port": 70000 }""", []),
        ["no kubeconfig"] = ("""{ "Name": "a", "Kind": "KubernetesApi", "Region": "r" }""", []),
        ["zero timeout"] = ("""{ "Name": "a", "Kind": "Tcp", "Region": "r", "Host": "h", "Port": 1, "TimeoutSeconds": 0 }""", []),
        ["no name"] = ("""{ "Kind": "Tcp", "Region": "r", "Host": "h", "Port": 1 }""", []),
        ["no region"] = ("""{ "Name": "a", "Kind": "Tcp", "Host": "h", "Port": 1 }""", []),
        ["probe not applicable"] = ("""{ "Name": "a", "Kind": "Tcp", "Region": "r", "Host": "h", "Port": 1, "Probes": ["tls"] }""", []),
        ["unknown probe"] = ("""{ "Name": "a", "Kind": "Tcp", "Region": "r", "Host": "h", "Port": 1, "Probes": ["icmp"] }""", []),
        ["duplicate names"] = ("""{ "Name": "db", "Kind": "Tcp", "Region": "r", "Host": "h", "Port": 1 }, { "Name": "DB", "Kind": "Tcp", "Region": "r", "Host": "h", "Port": 2 }""", []),
        ["several problems"] = ("""{ "Name": "a", "Kind": "Http", "Region": "r" }, { "Name": "b", "Kind": "Tcp", "Region": "r", "Host": "h" }""", []),
        ["unknown setting"] = ("""{ "Name": "w", "Kind": "Http", "Region": "r", "Ur1": "https://x/" }""", []),
        ["wrong value type"] = ("""{ "Name": "t", "Kind": "Tcp", "Region": "r", "Host": "h", "Port": "ssh" }""", []),
    };

    /// <summary>
    /// Targets whose kubeconfig or CA bundle cannot be had, by name: the field that names the source, the target, and
    /// the files it needs. Such a target stops no start: it is reported every cycle while the others are probed.
    /// </summary>
    public static TheoryData<string> UnresolvedCases() => [.. UnresolvedCaseTable.Keys];

    private static readonly Dictionary<string, (string Field, string Target, (string Name, string Content)[] Files)> UnresolvedCaseTable = new()
    {
        ["missing ca file"] = ("CaFile", """{ "Name": "a", "Kind": "Http", "Region": "r", "Url": "https://x/", "CaFile": "missing.pem" }""", []),
        ["missing kubeconfig file"] = ("Kubeconfig", """{ "Name": "k", "Kind": "KubernetesApi", "Region": "r", "Kubeconfig": "nowhere.kubeconfig" }""", []),
        ["malformed kubeconfig"] = ("Kubeconfig", """{ "Name": "k", "Kind": "KubernetesApi", "Region": "r", "Kubeconfig": "bad.kubeconfig" }""",
            [("bad.kubeconfig", $"apiVersion: v1\nusers:\n- name: x\n  user:\n    token: {Secret}\n   broken: [unclosed\n")]),
        ["kubeconfig without server"] = ("Kubeconfig", """{ "Name": "k", "Kind": "KubernetesApi", "Region": "r", "Kubeconfig": "k.kubeconfig" }""",
            [("k.kubeconfig", Kubeconfig("", $"    token: {Secret}").Replace("    server: https://127.0.0.1:6443\n", "", StringComparison.Ordinal))]),
        ["kubeconfig with bad ca data"] = ("Kubeconfig", """{ "Name": "k", "Kind": "KubernetesApi", "Region": "r", "Kubeconfig": "k.kubeconfig" }""",
            [("k.kubeconfig", Kubeconfig($"    certificate-authority-data: {CaData}", $"    token: {Secret}"))]),
        ["broken kubeconfig content"] = ("KubeconfigContent", $$"""{ "Name": "k", "Kind": "KubernetesApi", "Region": "r", "KubeconfigContent": "users:\n- token: {{Secret}}\n  x: [" }""", []),
        ["exec plugin"] = ("Kubeconfig", """{ "Name": "k", "Kind": "KubernetesApi", "Region": "r", "Kubeconfig": "k.kubeconfig" }""",
            [("k.kubeconfig", Kubeconfig("", "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /usr/bin/touch\n      args: [\"exec-ran\"]"))]),
        ["auth provider"] = ("Kubeconfig", """{ "Name": "k", "Kind": "KubernetesApi", "Region": "r", "Kubeconfig": "k.kubeconfig" }""",
            [("k.kubeconfig", Kubeconfig("", $"    auth-provider:\n      name: oidc\n      config:\n        id-token: {Secret}"))]),
        ["token file"] = ("Kubeconfig", """{ "Name": "k", "Kind": "KubernetesApi", "Region": "r", "Kubeconfig": "k.kubeconfig" }""",
            [("k.kubeconfig", Kubeconfig("", "    tokenFile: /var/run/secrets/token"))]),
        ["ca outside the directory"] = ("Kubeconfig", """{ "Name": "k", "Kind": "KubernetesApi", "Region": "r", "Kubeconfig": "k.kubeconfig" }""",
            [("k.kubeconfig", Kubeconfig("    certificate-authority: /etc/ssl/certs/ca-certificates.crt", $"    token: {Secret}"))]),
        ["unresolved key vault reference"] = ("KubeconfigContent",
            """{ "Name": "k", "Kind": "KubernetesApi", "Region": "r", "KubeconfigContent": "@Microsoft.KeyVault(SecretUri=https://kv-lke.vault.azure.net/secrets/ca-prod-kubeconfig/)" }""", []),
    };

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApplication.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static void AssertShape(string error, int maxLines)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(lines.Length, 1, maxLines);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.StartsWith("   at ", StringComparison.Ordinal));
        Assert.False(ExceptionTypeName().IsMatch(error), $"an exception type name reached the user: {error}");
        Assert.DoesNotContain(Secret, error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Probe_ConfigurationError_OneErrorLinePerProblemExitTwo(string name)
    {
        var (targets, files) = CaseTable[name];
        foreach (var (file, content) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(_dir, file), content);
        }

        var config = Path.Combine(_dir, "synthetics.json");
        await File.WriteAllTextAsync(config, $$"""{ "Synthetics": { "VantagePoint": "cli-test", "Targets": [ {{targets}} ] } }""");

        var (exit, output, error) = await RunAsync("probe", "--config", config, "--once");

        Assert.Equal(CliApplication.BadUsage, exit);
        Assert.Equal("", output);
        AssertShape(error, maxLines: 3);
        Assert.False(File.Exists(Path.Combine(_dir, "exec-ran")) || File.Exists("exec-ran"), "an exec plugin ran");
    }

    [Theory]
    [MemberData(nameof(UnresolvedCases))]
    public async Task Probe_TargetWhoseSourceCannotBeHad_ReportedNotProbedWhileTheOthersAreProbed(string name)
    {
        var (field, target, files) = UnresolvedCaseTable[name];
        foreach (var (file, content) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(_dir, file), content);
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var config = Path.Combine(_dir, "synthetics.json");
        await File.WriteAllTextAsync(config, $$"""
            { "Synthetics": { "VantagePoint": "cli-test", "Targets": [
              {{target}},
              { "Name": "db", "Kind": "Tcp", "Region": "r", "Host": "127.0.0.1", "Port": {{port}} } ] } }
            """);

        var (exit, output, error) = await RunAsync("probe", "--config", config, "--once", "--format", "json");

        Assert.Equal(CliApplication.Success, exit);
        var results = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!).ToList();
        var notProbed = Assert.Single(results, r => r["probe"]!.GetValue<string>() == "config");
        var badName = JsonNode.Parse(target)!["Name"]!.GetValue<string>();
        Assert.Equal(badName, notProbed["target"]!.GetValue<string>());
        Assert.Equal("error", notProbed["outcome"]!.GetValue<string>());
        Assert.False(notProbed["success"]!.GetValue<bool>());
        Assert.Equal(field, notProbed["details"]!["field"]!.GetValue<string>());
        Assert.StartsWith($"not probed: {field}", notProbed["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(results, r => r["target"]!.GetValue<string>() == "db" && r["probe"]!.GetValue<string>() == "tcp" && r["success"]!.GetValue<bool>());

        // Said once, at start, in one line naming the target and the field; no trace, no exception name, no secret.
        var warning = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"warning: Synthetics:Targets[0] '{badName}' is not probed: {field}", warning, StringComparison.Ordinal);
        Assert.False(ExceptionTypeName().IsMatch(error + output), $"an exception type name reached the user: {error}");
        Assert.DoesNotContain(Secret, error + output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "exec-ran")) || File.Exists("exec-ran"), "an exec plugin ran");
    }

    [Theory]
    [InlineData("missing file")]
    [InlineData("not json")]
    [InlineData("no section")]
    [InlineData("bad schedule")]
    public async Task Probe_BrokenConfigFile_OneErrorLineExitTwo(string name)
    {
        var config = Path.Combine(_dir, "synthetics.json");
        var content = name switch
        {
            "not json" => "{ \"Synthetics\": {\n  \"Targets\": [ oops ] } }",
            "no section" => """{ "Other": {} }""",
            "bad schedule" => """{ "Synthetics": { "VantagePoint": "v", "ProbeSchedule": "* * * * *", "Targets": [] } }""",
            _ => null,
        };
        if (content is not null)
        {
            await File.WriteAllTextAsync(config, content, Encoding.UTF8);
        }

        var (exit, _, error) = await RunAsync("probe", "--config", config, "--once");

        Assert.Equal(CliApplication.BadUsage, exit);
        AssertShape(error, maxLines: 2);
    }

    [Theory]
    [InlineData("probe")]
    [InlineData("probe --config x.json --format xml")]
    [InlineData("frobnicate")]
    public async Task Cli_BadUsage_ErrorLinesExitTwo(string args)
    {
        var (exit, _, error) = await RunAsync(args.Split(' '));

        Assert.Equal(CliApplication.BadUsage, exit);
        AssertShape(error, maxLines: 4);
    }

    [Fact]
    public async Task Cli_CommandThrowsUnexpectedly_OneLineWithoutStackTraceExitOne()
    {
        var failing = new Command("explode");
        failing.SetAction((_, _) => throw new InvalidOperationException($"internal state broken near {Secret}"));
        var root = new RootCommand { failing };
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await CliApplication.RunAsync(root, ["explode"], output, error, CancellationToken.None);

        Assert.Equal(CliApplication.Failure, exit);
        AssertShape(error.ToString(), maxLines: 1);
        Assert.Contains("'explode' failed unexpectedly", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_CommandThrowsConfigurationError_OneLineExitTwo()
    {
        var failing = new Command("configure");
        failing.SetAction((_, _) => throw new Configuration.ConfigurationException("Synthetics:Storage:ConnectionString is not a connection string"));
        var root = new RootCommand { failing };
        var error = new StringWriter();

        var exit = await CliApplication.RunAsync(root, ["configure"], new StringWriter(), error, CancellationToken.None);

        Assert.Equal(CliApplication.BadUsage, exit);
        AssertShape(error.ToString(), maxLines: 1);
        Assert.Contains("Synthetics:Storage:ConnectionString", error.ToString(), StringComparison.Ordinal);
    }
}
