using Synthetics.Probes;

namespace Synthetics.Cli.Output;

/// <summary>Prints a cycle's results in one of the CLI's formats.</summary>
internal interface IResultWriter
{
    Task WriteAsync(ProbeCycleReport report, CancellationToken cancellationToken);
}
