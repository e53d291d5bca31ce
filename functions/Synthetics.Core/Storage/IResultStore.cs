using Synthetics.Results;

namespace Synthetics.Storage;

/// <summary>
/// The durable results every vantage point shares (DESIGN §4). Writes are idempotent: the keys derive from
/// (vantage, target, probe, start ticks), so writing the same results again replaces, never duplicates.
/// </summary>
public interface IResultStore
{
    /// <summary>Writes results to both tables, batched per partition (≤ 100 per transaction). Throws when the service fails.</summary>
    Task<StoreWriteReport> WriteAsync(IReadOnlyList<ProbeResult> results, CancellationToken cancellationToken);

    /// <summary>
    /// Writes one cycle's <paramref name="results"/>, then its <paramref name="cycle"/> record, only once every result is
    /// stored: the record tells the evaluator the cycle is whole. Idempotent like <see cref="WriteAsync(IReadOnlyList{ProbeResult}, CancellationToken)"/>.
    /// </summary>
    Task<StoreWriteReport> WriteCycleAsync(CycleRecord cycle, IReadOnlyList<ProbeResult> results, CancellationToken cancellationToken);

    /// <summary>Records of every vantage's cycles that started in [<paramref name="since"/>, <paramref name="until"/>), in start order.</summary>
    Task<IReadOnlyList<CycleRecord>> ReadCyclesAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Every result of every target and vantage that started in [<paramref name="since"/>, <paramref name="until"/>): the evaluator's read.</summary>
    Task<IReadOnlyList<ProbeResult>> ReadWindowAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>One target's results in [<paramref name="since"/>, <paramref name="until"/>), in time order: an evidence read.</summary>
    Task<IReadOnlyList<ProbeResult>> ReadTargetAsync(string region, string target, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Every target of one region in [<paramref name="since"/>, <paramref name="until"/>): a regional evidence read.</summary>
    Task<IReadOnlyList<ProbeResult>> ReadRegionAsync(string region, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes results and cycle records older than <paramref name="cutoff"/> (whole minute partitions of the time and
    /// cycle tables, whole day partitions of the target table) until done or <paramref name="budget"/> runs out.
    /// </summary>
    Task<RetentionReport> DeleteBeforeAsync(DateTimeOffset cutoff, TimeSpan budget, CancellationToken cancellationToken);
}
