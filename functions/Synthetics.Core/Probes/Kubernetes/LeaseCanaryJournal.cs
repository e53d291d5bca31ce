using System.Collections.Concurrent;

namespace Synthetics.Probes.Kubernetes;

/// <summary>
/// The canary's successful Lease writes, by target, so the watch probe running in the same cycle knows which events it
/// should have seen: each write's resourceVersion and when it completed. Bounded: only the last few minutes are kept.
/// </summary>
internal sealed class LeaseCanaryJournal
{
    private const int MaxWritesPerTarget = 1024;

    private readonly ConcurrentDictionary<string, Queue<LeaseWrite>> _writes = new(StringComparer.Ordinal);

    /// <summary>Records a write of the canary Lease of <paramref name="target"/>.</summary>
    public void Add(string target, string leaseName, string? resourceVersion, long completedAt)
    {
        if (resourceVersion is null)
        {
            return;
        }

        var queue = _writes.GetOrAdd(target, _ => new Queue<LeaseWrite>());
        lock (queue)
        {
            queue.Enqueue(new LeaseWrite(leaseName, resourceVersion, completedAt));
            while (queue.Count > MaxWritesPerTarget)
            {
                queue.Dequeue();
            }
        }
    }

    /// <summary>The writes of <paramref name="target"/>'s canary Lease completed within [<paramref name="from"/>, <paramref name="to"/>] (timestamps).</summary>
    public IReadOnlyList<LeaseWrite> Between(string target, long from, long to)
    {
        if (!_writes.TryGetValue(target, out var queue))
        {
            return [];
        }

        lock (queue)
        {
            return [.. queue.Where(w => w.CompletedAt >= from && w.CompletedAt <= to)];
        }
    }

    /// <summary>One successful write: the Lease, its new resourceVersion, when the answer arrived (a <see cref="TimeProvider"/> timestamp).</summary>
    internal readonly record struct LeaseWrite(string LeaseName, string ResourceVersion, long CompletedAt);
}
