namespace Synthetics.Cli.Output;

/// <summary>Where <c>evidence</c> and <c>report</c> put what they wrote: standard output, or a file and one line naming it.</summary>
internal static class ReportOutput
{
    /// <summary>
    /// Writes <paramref name="text"/> to <paramref name="file"/> (creating its directory) and prints its path and
    /// <paramref name="summary"/>; without a file, writes the text itself to <paramref name="output"/>.
    /// </summary>
    public static async Task WriteAsync(string text, FileInfo? file, string summary, TextWriter output, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            await output.WriteAsync(text);
            return;
        }

        file.Directory?.Create();
        await File.WriteAllTextAsync(file.FullName, text, cancellationToken);
        await output.WriteLineAsync($"{file.FullName}: {summary}");
    }
}
