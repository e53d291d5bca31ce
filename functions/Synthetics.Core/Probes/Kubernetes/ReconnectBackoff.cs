namespace Synthetics.Probes.Kubernetes;

/// <summary>
/// The pause before each reconnect of a watch, as client-go's reflector takes it
/// (<c>wait.NewExponentialBackoffManager(800ms, 30s, 2m, 2.0, 1.0)</c> in <c>tools/cache/reflector.go</c>): 800 ms,
/// doubling to a 30 s cap, each pause jittered up to twice its base (so [800 ms, 1.6 s), [1.6 s, 3.2 s), … [30 s, 60 s)).
/// client-go resets after 2 min without a failure; no probe run lasts that long, so a run never resets.
/// </summary>
/// <param name="jitter">A number in [0, 1) per pause; <see cref="Random.Shared"/> by default, fixed in tests.</param>
internal sealed class ReconnectBackoff(Func<double>? jitter = null)
{
    /// <summary>The first pause before jitter: 800 ms.</summary>
    public static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(800);

    /// <summary>The largest pause before jitter: 30 s.</summary>
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    private readonly Func<double> _jitter = jitter ?? Random.Shared.NextDouble;
    private TimeSpan _base = Initial;

    /// <summary>The next pause: the current base plus up to as much again, then the base doubles (to the cap).</summary>
    public TimeSpan Next()
    {
        var pause = _base + (_base * Math.Clamp(_jitter(), 0, 1));
        _base = _base * 2 > Cap ? Cap : _base * 2;
        return pause;
    }

    /// <summary>
    /// The most connections a run can open in <paramref name="window"/>: the first, plus one after each pause that still
    /// ends inside the window, counting every pause at its shortest (no jitter) and every request as taking no time.
    /// </summary>
    public static int MaxConnections(TimeSpan window)
    {
        var connections = 1;
        var elapsed = TimeSpan.Zero;
        var pause = Initial;
        while (true)
        {
            elapsed += pause;
            if (elapsed >= window)
            {
                return connections;
            }

            connections++;
            pause = pause * 2 > Cap ? Cap : pause * 2;
        }
    }
}
