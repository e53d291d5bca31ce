namespace Synthetics.Lab.Faults;

/// <summary>
/// A token bucket for new connections of one client identity: refills at <c>rate</c> per second up to a
/// burst of one second's worth (at least one). Time comes from the caller's <see cref="TimeProvider"/>
/// timestamps so a fake clock drives it in tests.
/// </summary>
internal sealed class ConnectionThrottle
{
    private readonly Lock _gate = new();
    private readonly double _rate;
    private readonly double _burst;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _lastRefill;

    public ConnectionThrottle(double ratePerSecond, TimeProvider time)
    {
        _rate = ratePerSecond;
        _burst = Math.Max(1, Math.Ceiling(ratePerSecond));
        _time = time;
        _tokens = _burst;
        _lastRefill = time.GetTimestamp();
    }

    /// <summary>
    /// Takes a token. Returns zero when one was free; otherwise, for <see cref="ThrottleAction.Delay"/>, the
    /// wait until this connection's token arrives (the token is reserved, so waiters queue fairly), and for
    /// <see cref="ThrottleAction.Reset"/> null (nothing is reserved: a reset connection costs the bucket nothing).
    /// </summary>
    public TimeSpan? Acquire(ThrottleAction action)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_lastRefill, now).TotalSeconds * _rate));
            _lastRefill = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                return TimeSpan.Zero;
            }

            if (action == ThrottleAction.Reset)
            {
                return null;
            }

            _tokens -= 1;
            return TimeSpan.FromSeconds(-_tokens / _rate);
        }
    }
}
