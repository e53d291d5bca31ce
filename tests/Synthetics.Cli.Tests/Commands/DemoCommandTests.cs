using Synthetics.Cli.Demo;

namespace Synthetics.Cli.Tests.Commands;

public sealed class DemoCommandTests
{
    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var exit = await CliApplication.RunAsync(args, output, error, stop.Token);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Demo_UnknownScenario_ExitsTwoNamingIt()
    {
        var (exit, output, error) = await Run("demo", "--scenario", "march-13");

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("march-13", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("many")]
    public async Task Demo_BadMinutes_ExitsTwo(string minutes)
    {
        var (exit, output, _) = await Run("demo", "--minutes", minutes);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
    }

    [Fact]
    public void FindRepositoryRoot_FromTheTestOutput_FindsTheDirectoryWithPackageJson()
    {
        var root = AzuriteLauncher.FindRepositoryRoot(AppContext.BaseDirectory);

        Assert.NotNull(root);
        Assert.True(File.Exists(Path.Combine(root, "package.json")));
        Assert.True(File.Exists(Path.Combine(root, "Synthetics.sln")));
    }
}
