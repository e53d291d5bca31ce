namespace Synthetics.Lab.NodeBalancers;

/// <summary>Lock-free counters behind <see cref="VantageStatistics"/>; connections on many threads bump them.</summary>
internal sealed class VantageCounters
{
    private long _accepted;
    private long _forwarded;
    private long _stalled;
    private long _reset;
    private long _cut;
    private long _throttled;
    private long _blackholed;
    private long _noBackend;
    private long _dropped;

    public void Accepted() => Interlocked.Increment(ref _accepted);

    public void Forwarded() => Interlocked.Increment(ref _forwarded);

    public void Stalled() => Interlocked.Increment(ref _stalled);

    public void Reset() => Interlocked.Increment(ref _reset);

    public void Cut() => Interlocked.Increment(ref _cut);

    public void Throttled() => Interlocked.Increment(ref _throttled);

    public void Blackholed() => Interlocked.Increment(ref _blackholed);

    public void NoBackend() => Interlocked.Increment(ref _noBackend);

    public void Dropped() => Interlocked.Increment(ref _dropped);

    public VantageStatistics Snapshot() => new(
        Interlocked.Read(ref _accepted),
        Interlocked.Read(ref _forwarded),
        Interlocked.Read(ref _stalled),
        Interlocked.Read(ref _reset),
        Interlocked.Read(ref _cut),
        Interlocked.Read(ref _throttled),
        Interlocked.Read(ref _blackholed),
        Interlocked.Read(ref _noBackend))
    {
        Dropped = Interlocked.Read(ref _dropped),
    };
}
