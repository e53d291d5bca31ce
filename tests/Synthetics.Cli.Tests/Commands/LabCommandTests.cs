using System.Text.Json.Nodes;

namespace Synthetics.Cli.Tests.Commands;

public sealed class LabCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("synthetics-lab-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Lab_UnknownScenario_ExitsTwoNamingTheKnownOnes()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await CliApplication.RunAsync(["lab", "--scenario", "march-13", "--out", _dir], output, error);

        Assert.Equal(CliApplication.BadUsage, exit);
        Assert.Contains("march-13", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("healthy, march-12, vantage-blip, backend-down, cert-expiring", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public async Task Lab_DuplicateVantages_ExitsTwo()
    {
        var error = new StringWriter();

        var exit = await CliApplication.RunAsync(["lab", "--vantages", "eu-west,eu-west", "--out", _dir], new StringWriter(), error);

        Assert.Equal(CliApplication.BadUsage, exit);
        Assert.Contains("unique", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lab_OutDirThenCancelled_WritesConfigsPrintsAddressesWithoutTokensAndExitsZero()
    {
        var output = new SynchronizedStringWriter();
        using var stop = new CancellationTokenSource();
        var out_ = Path.Combine(_dir, "lab");

        var run = Task.Run(() => CliApplication.RunAsync(
            ["lab", "--out", out_, "--vantages", "eu-west,us-central", "--seed", "7", "--scenario", "march-12"], output, new StringWriter(), stop.Token));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!output.ToString().Contains("Ctrl-C", StringComparison.Ordinal) && !run.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        var exit = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(CliApplication.Success, exit);
        foreach (var file in new[] { "synthetics.json", "synthetics.eu-west.json", "synthetics.us-central.json", "lab.json", "ca-web-ca.pem", "ca-prod.eu-west.kubeconfig", "us-prod.us-central.kubeconfig" })
        {
            Assert.True(File.Exists(Path.Combine(out_, file)), file);
        }

        var printed = output.ToString();
        Assert.Contains($"probe --config {Path.Combine(out_, "synthetics.json")} --once", printed, StringComparison.Ordinal);
        Assert.Contains("march-12", printed, StringComparison.Ordinal);
        Assert.Contains("Linode API", printed, StringComparison.Ordinal);
        Assert.Contains("/admin/scenario", printed, StringComparison.Ordinal);
        Assert.Contains("lab stopped", printed, StringComparison.Ordinal);

        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(out_, "lab.json")))!;
        var linodeToken = (string)manifest["linodeApi"]!["token"]!;
        Assert.DoesNotContain(linodeToken, printed, StringComparison.Ordinal);
        var kubeconfig = await File.ReadAllTextAsync(Path.Combine(out_, "ca-prod.eu-west.kubeconfig"));
        var kubeToken = kubeconfig.Split('\n').Single(line => line.TrimStart().StartsWith("token:", StringComparison.Ordinal)).Split('"')[1];
        Assert.DoesNotContain(kubeToken, printed, StringComparison.Ordinal);
    }

    /// <summary>The lab prints from its scenario threads while the test reads.</summary>
    private sealed class SynchronizedStringWriter : StringWriter
    {
        private readonly Lock _gate = new();

        public override void Write(char value)
        {
            lock (_gate)
            {
                base.Write(value);
            }
        }

        public override void Write(char[] buffer, int index, int count)
        {
            lock (_gate)
            {
                base.Write(buffer, index, count);
            }
        }

        public override void Write(string? value)
        {
            lock (_gate)
            {
                base.Write(value);
            }
        }

        public override string ToString()
        {
            lock (_gate)
            {
                return base.ToString();
            }
        }
    }
}
