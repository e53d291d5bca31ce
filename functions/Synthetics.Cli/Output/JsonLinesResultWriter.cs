using Synthetics.Probes;
using Synthetics.Results;

namespace Synthetics.Cli.Output;

/// <summary>One result per line, valid against result.schema.json (contract).</summary>
internal sealed class JsonLinesResultWriter(TextWriter output) : IResultWriter
{
    public async Task WriteAsync(ProbeCycleReport report, CancellationToken cancellationToken)
    {
        foreach (var result in report.Results)
        {
            await output.WriteLineAsync(ProbeResultJson.Serialize(result));
        }

        await output.FlushAsync(cancellationToken);
    }
}
