namespace Synthetics.Probes.Kubernetes;

/// <summary>
/// What one canary run saw, fed by <see cref="MeasuredLeaseLock"/> (each API call) and the elector's events. A renew
/// window opens with the first read after the previous renewal and closes with the next successful write; the margin is
/// what was left of the renew deadline when it closed. Only calls made while leading count as renewals. Thread-safe: the
/// elector runs its renew attempts on the thread pool.
/// </summary>
internal sealed class LeaseCanaryRecorder(TimeProvider time, string identity, TimeSpan renewDeadline)
{
    private readonly Lock _gate = new();
    private readonly List<double> _renewMs = [];
    private readonly long _started = time.GetTimestamp();
    private long? _windowStart;
    private long _attemptStart;
    private bool _attemptInFlight;
    private bool _stopping;

    public string Identity { get; } = identity;

    public bool IsLeading { get; private set; }

    public double? AcquireMs { get; private set; }

    public bool LeadershipLost { get; private set; }

    public double? LeadershipLostAfterMs { get; private set; }

    public int RenewFailures { get; private set; }

    public int Conflicts { get; private set; }

    public double? MinMarginMs { get; private set; }

    public string? OtherHolder { get; private set; }

    /// <summary>The last failure of an API call (transport or status), to classify a run that never acquired.</summary>
    public Exception? LastError { get; private set; }

    public IReadOnlyList<double> RenewRoundTripsMs
    {
        get
        {
            lock (_gate)
            {
                return [.. _renewMs];
            }
        }
    }

    public void AttemptStarted()
    {
        lock (_gate)
        {
            _attemptStart = time.GetTimestamp();
            _attemptInFlight = true;
            if (IsLeading)
            {
                _windowStart ??= _attemptStart;
            }
        }
    }

    public void ReadCompleted(string? holder)
    {
        lock (_gate)
        {
            if (!string.IsNullOrEmpty(holder) && holder != Identity)
            {
                OtherHolder = holder;
                // The elector will not write over a holder it has not seen expire: this attempt ends here.
                if (IsLeading)
                {
                    RenewFailures++;
                    _attemptInFlight = false;
                }
            }
        }
    }

    public void WriteSucceeded()
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            _attemptInFlight = false;
            if (IsLeading)
            {
                _renewMs.Add(time.GetElapsedTime(_attemptStart, now).TotalMilliseconds);
                var windowStart = _windowStart ?? _attemptStart;
                var margin = renewDeadline.TotalMilliseconds - time.GetElapsedTime(windowStart, now).TotalMilliseconds;
                MinMarginMs = Math.Min(MinMarginMs ?? double.MaxValue, margin);
                _windowStart = null;
            }
        }
    }

    public void CallFailed(Exception error, int? status)
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            LastError = error;
            if (status == 409)
            {
                Conflicts++;
            }

            if (IsLeading && _attemptInFlight)
            {
                RenewFailures++;
            }

            _attemptInFlight = false;
        }
    }

    public void StartedLeading()
    {
        lock (_gate)
        {
            IsLeading = true;
            AcquireMs = time.GetElapsedTime(_started).TotalMilliseconds;
            _windowStart = null;
        }
    }

    /// <summary>The run is ending on purpose: what happens from now on (cancelled calls, the elector's finally) is not a failure.</summary>
    public void Stopping()
    {
        lock (_gate)
        {
            _stopping = true;
        }
    }

    public void StoppedLeading()
    {
        lock (_gate)
        {
            if (_stopping || !IsLeading)
            {
                IsLeading = false;
                return;
            }

            IsLeading = false;
            LeadershipLost = true;
            LeadershipLostAfterMs = time.GetElapsedTime(_started).TotalMilliseconds;
            // The attempt still waiting for an answer at the deadline failed; its late answer must not count.
            if (_attemptInFlight)
            {
                RenewFailures++;
                _attemptInFlight = false;
            }

            // Nothing was left of the renew deadline in the window that lost leadership.
            MinMarginMs = Math.Min(MinMarginMs ?? double.MaxValue, 0);
        }
    }
}
