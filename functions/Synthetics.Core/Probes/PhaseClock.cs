using Synthetics.Results;

namespace Synthetics.Probes;

/// <summary>
/// Times the phases of one probe run with the monotonic high-resolution clock of the injected <see cref="TimeProvider"/>.
/// A phase that fails stays "current", so the runner can say where a timeout or reset happened and how long that phase ran.
/// Each phase is recorded once (the first exchange of a run); later exchanges in the same run are timed by the probe itself.
/// </summary>
public sealed class PhaseClock(TimeProvider timeProvider)
{
    private readonly double?[] _elapsedMs = new double?[5];
    private long _phaseStart;

    /// <summary>The phase in progress, or null between phases.</summary>
    public ProbePhase? Current { get; private set; }

    /// <summary>Starts <paramref name="phase"/>.</summary>
    public void Start(ProbePhase phase)
    {
        Current = phase;
        _phaseStart = timeProvider.GetTimestamp();
    }

    /// <summary>Ends the current phase and records its duration (unless that phase was already recorded).</summary>
    public double Stop()
    {
        var elapsed = timeProvider.GetElapsedTime(_phaseStart).TotalMilliseconds;
        if (Current is { } phase)
        {
            _elapsedMs[(int)phase] ??= elapsed;
        }

        Current = null;
        return elapsed;
    }

    /// <summary>
    /// Records how long the phase in progress ran before it failed (a stall shows where it stalled), up to
    /// <paramref name="failedAt"/> when the failure instant is known (a timeout), not to when the failure was handled.
    /// </summary>
    internal void StopFailed(long? failedAt = null)
    {
        if (Current is { } phase)
        {
            _elapsedMs[(int)phase] ??= failedAt is { } at
                ? timeProvider.GetElapsedTime(_phaseStart, Math.Max(at, _phaseStart)).TotalMilliseconds
                : timeProvider.GetElapsedTime(_phaseStart).TotalMilliseconds;
            Current = null;
        }
    }

    /// <summary>Whether <paramref name="phase"/> has been recorded.</summary>
    public bool HasRecorded(ProbePhase phase) => _elapsedMs[(int)phase] is not null;

    /// <summary>Records <paramref name="phase"/> as measured elsewhere (a summary of samples), replacing nothing recorded.</summary>
    internal void Record(ProbePhase phase, double elapsedMs) => _elapsedMs[(int)phase] ??= elapsedMs;

    internal ProbePhases ToPhases() => new()
    {
        DnsMs = _elapsedMs[(int)ProbePhase.Dns],
        ConnectMs = _elapsedMs[(int)ProbePhase.Connect],
        TlsMs = _elapsedMs[(int)ProbePhase.Tls],
        TtfbMs = _elapsedMs[(int)ProbePhase.Ttfb],
        TransferMs = _elapsedMs[(int)ProbePhase.Transfer],
    };
}
