using System.Text;

namespace Synthetics.Cli.Tests.Commands;

/// <summary>
/// Runs a long-running command (<c>run</c>, <c>probe</c> without <c>--once</c>) in process until its output shows what
/// a test waits for, then stops it as Ctrl-C does: tests wait for cycles, not for seconds of a machine's wall clock
/// (the warm-up before the first cycle alone takes about two of them).
/// </summary>
internal static class CliRun
{
    /// <summary>How a cycle line of <c>run --format json</c> starts.</summary>
    public const string JsonCycleLine = "{\"type\":\"cycle\"";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>Runs <paramref name="args"/> until <paramref name="done"/> holds for the output so far (or the command ends).</summary>
    public static async Task<(int Exit, string Out, string Err)> UntilAsync(Func<string, bool> done, params string[] args)
    {
        var output = new SharedWriter();
        var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = CliApplication.RunAsync(args, output, error, stop.Token);
        using (var patience = new CancellationTokenSource(Patience))
        {
            while (!done(output.ToString()) && !run.IsCompleted)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), patience.Token);
            }
        }

        await stop.CancelAsync();
        var exit = await run;
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Lines of <paramref name="output"/> that start with <paramref name="prefix"/>.</summary>
    public static int Lines(string output, string prefix) =>
        output.Split('\n').Count(l => l.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Text written by the command's threads and read by the test's, under a lock.</summary>
    private sealed class SharedWriter : TextWriter
    {
        private readonly StringBuilder _text = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }

        public override string ToString()
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }
}
