namespace Synthetics.Cli.Output;

/// <summary>Where <c>run</c> prints: probe cycles and evaluations write from two loops, one line (or block) at a time.</summary>
internal sealed class RunConsole(TextWriter output, TextWriter error, bool json) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public bool Json => json;

    public async Task WriteAsync(string text)
    {
        await _gate.WaitAsync();
        try
        {
            await output.WriteLineAsync(text);
            await output.FlushAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task WarnAsync(string text) => error.WriteLineAsync($"warning: {text}");

    public void Dispose() => _gate.Dispose();
}
