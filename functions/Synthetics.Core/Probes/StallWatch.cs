namespace Synthetics.Probes;

/// <summary>
/// Watches this process's own scheduling while a cycle runs: a timer that should tick every quarter of the threshold,
/// and how late each tick came. A tick late by more than the threshold means the process did not run for that long (a
/// frozen or throttled instance, a starved CPU, a long pause): every probe in flight then timed the monitor, and a
/// timeout it reported may be the monitor's own. Cheap: four wake-ups per threshold, nothing allocated per tick.
/// </summary>
public sealed class StallWatch : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _period;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;
    private long _longestTicks;
    private long _longestAtUtcTicks;
    private int _stopped;

    private StallWatch(TimeProvider time, TimeSpan threshold)
    {
        _time = time;
        Threshold = threshold;
        _period = threshold / 4;
        _watching = threshold > TimeSpan.Zero ? WatchAsync() : Task.CompletedTask;
    }

    /// <summary>A tick later than this is a stall (<see cref="ProbingOptions.StallThresholdMs"/>; zero: not watched).</summary>
    public TimeSpan Threshold { get; }

    /// <summary>The latest any tick came so far.</summary>
    public TimeSpan Longest => TimeSpan.FromTicks(Volatile.Read(ref _longestTicks));

    /// <summary>When the latest tick came (UTC), or null when none was late.</summary>
    public DateTimeOffset? LongestAt => Volatile.Read(ref _longestAtUtcTicks) is > 0 and var ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Whether the process stalled beyond <see cref="Threshold"/> so far.</summary>
    public bool Stalled => Threshold > TimeSpan.Zero && Longest > Threshold;

    /// <summary>Starts watching on <paramref name="time"/>'s clock; a zero <paramref name="threshold"/> watches nothing.</summary>
    public static StallWatch Start(TimeProvider time, TimeSpan threshold)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, TimeSpan.Zero);
        return new StallWatch(time, threshold);
    }

    private async Task WatchAsync()
    {
        // Off the caller's context: the watch must not wait for what it watches.
        await Task.Yield();
        try
        {
            while (true)
            {
                var before = _time.GetTimestamp();
                await Task.Delay(_period, _time, _stop.Token).ConfigureAwait(false);
                var late = _time.GetElapsedTime(before) - _period;
                if (late.Ticks > Volatile.Read(ref _longestTicks))
                {
                    Volatile.Write(ref _longestAtUtcTicks, _time.GetUtcNow().UtcTicks);
                    Volatile.Write(ref _longestTicks, late.Ticks);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    /// <summary>Stops watching; what was seen stays readable.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _stop.CancelAsync();
            await _watching;
            _stop.Dispose();
        }
    }
}
