using Synthetics.Results;
using Synthetics.Storage;

namespace Synthetics.Core.Tests.Support;

/// <summary>
/// An <see cref="IResultStore"/> that passes every call on to <see cref="Inner"/> (the real store, as a rule). A test
/// derives from it and overrides only the calls it records.
/// </summary>
internal abstract class ForwardingResultStore(IResultStore inner) : IResultStore
{
    /// <summary>The store every call goes to; reading it directly bypasses whatever the test records.</summary>
    public IResultStore Inner => inner;

    public virtual Task<StoreWriteReport> WriteAsync(IReadOnlyList<ProbeResult> results, CancellationToken cancellationToken) =>
        inner.WriteAsync(results, cancellationToken);

    public virtual Task<StoreWriteReport> WriteCycleAsync(CycleRecord cycle, IReadOnlyList<ProbeResult> results, CancellationToken cancellationToken) =>
        inner.WriteCycleAsync(cycle, results, cancellationToken);

    public virtual Task<IReadOnlyList<CycleRecord>> ReadCyclesAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        inner.ReadCyclesAsync(since, until, cancellationToken);

    public virtual Task<IReadOnlyList<ProbeResult>> ReadWindowAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        inner.ReadWindowAsync(since, until, cancellationToken);

    public virtual Task<IReadOnlyList<ProbeResult>> ReadTargetAsync(
        string region, string target, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        inner.ReadTargetAsync(region, target, since, until, cancellationToken);

    public virtual Task<IReadOnlyList<ProbeResult>> ReadRegionAsync(string region, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        inner.ReadRegionAsync(region, since, until, cancellationToken);

    public virtual Task<RetentionReport> DeleteBeforeAsync(DateTimeOffset cutoff, TimeSpan budget, CancellationToken cancellationToken) =>
        inner.DeleteBeforeAsync(cutoff, budget, cancellationToken);
}
