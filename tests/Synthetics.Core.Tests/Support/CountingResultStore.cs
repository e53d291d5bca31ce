using Synthetics.Results;
using Synthetics.Storage;

namespace Synthetics.Core.Tests.Support;

/// <summary>A store (the real one, as a rule) that keeps the ranges of result reads and of cycle-record reads asked of it.</summary>
internal sealed class CountingResultStore(IResultStore inner) : ForwardingResultStore(inner)
{
    public List<(DateTimeOffset Since, DateTimeOffset Until)> Ranges { get; } = [];

    public List<(DateTimeOffset Since, DateTimeOffset Until)> CycleRanges { get; } = [];

    public override Task<IReadOnlyList<CycleRecord>> ReadCyclesAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        CycleRanges.Add((since, until));
        return base.ReadCyclesAsync(since, until, cancellationToken);
    }

    public override Task<IReadOnlyList<ProbeResult>> ReadWindowAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        Ranges.Add((since, until));
        return base.ReadWindowAsync(since, until, cancellationToken);
    }
}
