using Synthetics.Results;

namespace Synthetics.Storage;

/// <summary>
/// The evaluator's read, kept between evaluations per stored cycle. A cycle's record is written only once every result
/// of the cycle is stored, and a stored result never changes (its keys are its identity, a rewrite is the same result),
/// so a recorded cycle read once is read for good: an evaluation asks the table only for the cycles recorded since the
/// last one (a minute of every vantage, or a batch that came late), not for its window and the hour of history before
/// it again. What lies outside the cycles still needed is dropped.
/// </summary>
/// <remarks>
/// The history is made of whole cycles: a result whose cycle has no record yet (its batch is still being written) is
/// left out until the record is stored, the same rule that decides when a cycle is judged.
/// </remarks>
internal sealed class CycleResultCache(IResultStore store)
{
    /// <summary>
    /// A cycle that started this long before a read's start may still hold results inside it (a cycle lasts about a
    /// minute; one that ran late, a few): a caller that passes the records it read covers this much before its read.
    /// </summary>
    public static readonly TimeSpan LongestCycle = TimeSpan.FromMinutes(10);

    // Cycles to read that are this close together are read with one range query: the minute partitions between them
    // hold little else.
    private static readonly TimeSpan JoinGap = TimeSpan.FromMinutes(2);

    // Replaced whole by each read, never changed in place: evaluations that overlap (they should not) read the table
    // twice rather than corrupt what is held.
    private Dictionary<(string Vantage, long StartTicks), Held> _held = [];

    /// <summary>Cycles whose results are held now.</summary>
    public int CyclesHeld => Volatile.Read(ref _held).Count;

    /// <summary>
    /// Every result of a recorded cycle that started in [<paramref name="since"/>, <paramref name="until"/>), in time
    /// order, reading from the table only the cycles not read before.
    /// </summary>
    public Task<IReadOnlyList<ProbeResult>> ReadWindowAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        ReadWindowAsync(since, until, known: null, cancellationToken);

    /// <summary>
    /// As <see cref="ReadWindowAsync(DateTimeOffset, DateTimeOffset, CancellationToken)"/>, with the cycle records the
    /// caller has just read: <paramref name="known"/> holds every record that started in [<c>Since</c>, <c>Until</c>), and
    /// only what the read needs outside that range is asked of the table.
    /// </summary>
    public async Task<IReadOnlyList<ProbeResult>> ReadWindowAsync(
        DateTimeOffset since, DateTimeOffset until, (IReadOnlyList<CycleRecord> Records, DateTimeOffset Since, DateTimeOffset Until)? known, CancellationToken cancellationToken)
    {
        if (until <= since)
        {
            return [];
        }

        var recorded = await RecordsAsync(since - LongestCycle, until, known, cancellationToken);
        var needed = recorded.Where(c => c.EndedAt >= since).ToList();
        var before = Volatile.Read(ref _held);
        // Cycles that ended before this read's start are let go: evaluations move forward.
        var held = before.Where(e => e.Value.Cycle.EndedAt >= since).ToDictionary();
        foreach (var span in Spans([.. needed.Where(c => !held.ContainsKey(Key(c)))]))
        {
            await ReadSpanAsync(span, held, cancellationToken);
        }

        Volatile.Write(ref _held, held);
        var window = new List<ProbeResult>();
        foreach (var cycle in needed)
        {
            window.AddRange(held[Key(cycle)].Results.Where(r => r.Timestamp >= since && r.Timestamp < until));
        }

        window.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        return window;
    }

    /// <summary>The cycle records that started in [<paramref name="from"/>, <paramref name="until"/>), from <paramref name="known"/> where it covers them.</summary>
    private async Task<IReadOnlyList<CycleRecord>> RecordsAsync(
        DateTimeOffset from, DateTimeOffset until, (IReadOnlyList<CycleRecord> Records, DateTimeOffset Since, DateTimeOffset Until)? known, CancellationToken cancellationToken)
    {
        if (known is not { } k || k.Since >= until || k.Until < until)
        {
            return await store.ReadCyclesAsync(from, until, cancellationToken);
        }

        var records = k.Records.Where(c => c.StartedAt >= from && c.StartedAt < until).ToList();
        if (from < k.Since)
        {
            // A late cycle's baseline reaches back before what the caller read.
            records.AddRange(await store.ReadCyclesAsync(from, k.Since, cancellationToken));
        }

        return records;
    }

    /// <summary>Reads the results of <paramref name="span"/>'s cycles with one range query and holds each cycle's own.</summary>
    private async Task ReadSpanAsync(List<CycleRecord> span, Dictionary<(string, long), Held> held, CancellationToken cancellationToken)
    {
        var from = span.Min(c => c.StartedAt);
        var to = span.Max(c => c.EndedAt).AddTicks(1);
        var read = await store.ReadWindowAsync(from, to, cancellationToken);
        var byVantage = span.ToLookup(c => c.Vantage, StringComparer.Ordinal);
        var own = span.ToDictionary(Key, _ => new List<ProbeResult>());
        foreach (var result in read)
        {
            // The range holds other vantages' cycles (read before) and cycles still being written: only the span's own count.
            if (byVantage[result.Vantage].FirstOrDefault(c => c.Contains(result.Timestamp)) is { } cycle)
            {
                own[Key(cycle)].Add(result);
            }
        }

        foreach (var cycle in span)
        {
            held[Key(cycle)] = new Held(cycle, [.. own[Key(cycle)]]);
        }
    }

    /// <summary>Cycles to read, in start order, grouped where they lie within <see cref="JoinGap"/> of each other.</summary>
    private static IEnumerable<List<CycleRecord>> Spans(List<CycleRecord> cycles)
    {
        List<CycleRecord>? span = null;
        var spanEnd = DateTimeOffset.MinValue;
        foreach (var cycle in cycles.OrderBy(c => c.StartedAt))
        {
            if (span is not null && cycle.StartedAt - spanEnd > JoinGap)
            {
                yield return span;
                span = null;
            }

            span ??= [];
            span.Add(cycle);
            spanEnd = span.Count == 1 || cycle.EndedAt > spanEnd ? cycle.EndedAt : spanEnd;
        }

        if (span is not null)
        {
            yield return span;
        }
    }

    private static (string, long) Key(CycleRecord cycle) => (cycle.Vantage, cycle.StartedAt.UtcTicks);

    private sealed record Held(CycleRecord Cycle, ProbeResult[] Results);
}
