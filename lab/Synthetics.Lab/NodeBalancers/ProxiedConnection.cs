using System.Net.Sockets;
using Synthetics.Lab.Faults;

namespace Synthetics.Lab.NodeBalancers;

/// <summary>
/// One client connection through the NodeBalancer and, once forwarded, its backend connection. Owns both
/// sockets and the cut timer; ending it is idempotent because a cut, a peer's reset and shutdown can race.
/// </summary>
internal sealed class ProxiedConnection : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _cutTimer;
    private FaultPlan? _cutPlan;
    private ITimer? _dropTimer;
    private FaultPlan? _dropPlan;
    private bool _ended;
    private bool _dropped;

    public ProxiedConnection(Socket client, VantageListener vantage)
    {
        Client = client;
        Vantage = vantage;
    }

    public Socket Client { get; }

    public VantageListener Vantage { get; }

    /// <summary>Set once the backend accepted; only forwarded connections can be cut.</summary>
    public Socket? Backend { get; private set; }

    /// <summary>True once <see cref="Drop"/> took the flow: the client is held without a byte, no longer forwarded.</summary>
    public bool IsDropped
    {
        get
        {
            lock (_gate)
            {
                return _dropped;
            }
        }
    }

    /// <summary>Completes when the connection's handler has let go of everything.</summary>
    public Task Finished => _finished.Task;

    public void MarkFinished() => _finished.TrySetResult();

    /// <summary>Attaches the backend; false (and the backend disposed) if the connection already ended.</summary>
    public bool AttachBackend(Socket backend)
    {
        lock (_gate)
        {
            if (_ended)
            {
                backend.Dispose();
                return false;
            }

            Backend = backend;
            return true;
        }
    }

    /// <summary>
    /// Arms (or disarms) the cut for <paramref name="plan"/>. The same plan instance keeps its timer, so
    /// re-applying a plan to another vantage does not redraw the cut times of connections already doomed.
    /// </summary>
    public void ScheduleCut(FaultPlan plan, Func<FaultPlan, TimeSpan?> drawCutAfter, TimeProvider time, Action onCut)
    {
        lock (_gate)
        {
            if (_ended || _dropped || Backend is null || ReferenceEquals(_cutPlan, plan))
            {
                return;
            }

            _cutPlan = plan;
            _cutTimer?.Dispose();
            _cutTimer = null;
            if (drawCutAfter(plan) is { } delay)
            {
                _cutTimer = time.CreateTimer(_ => End(reset: true, onEnding: onCut), null, delay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>
    /// Arms (or disarms) the drop of a rolling fleet change (<see cref="FaultPlan.DropOpenFlowsOver"/>) for
    /// <paramref name="plan"/>: <paramref name="drawDropAfter"/> gives when this connection's instance is replaced, or
    /// null when it already was (or the plan rolls nothing). The same plan instance keeps its timer, as for cuts.
    /// </summary>
    public void ScheduleDrop(FaultPlan plan, Func<FaultPlan, TimeSpan?> drawDropAfter, TimeProvider time, Func<FaultPlan, bool> stillApplies, Action onDropped)
    {
        lock (_gate)
        {
            if (_ended || _dropped || Backend is null || ReferenceEquals(_dropPlan, plan))
            {
                return;
            }

            _dropPlan = plan;
            _dropTimer?.Dispose();
            _dropTimer = null;
            if (drawDropAfter(plan) is { } delay)
            {
                _dropTimer = time.CreateTimer(
                    _ =>
                    {
                        if (stillApplies(plan) && Drop())
                        {
                            onDropped();
                        }
                    },
                    null,
                    delay,
                    Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>
    /// Loses the flow silently: the backend side is closed, the client side stays open and gets nothing (its handler
    /// holds it until the client gives up), and no cut falls on it any more. False when the connection was not
    /// forwarded or already ended or dropped.
    /// </summary>
    public bool Drop()
    {
        lock (_gate)
        {
            if (_ended || _dropped || Backend is null)
            {
                return false;
            }

            _dropped = true;
            _cutTimer?.Dispose();
            _cutTimer = null;
            _dropTimer?.Dispose();
            _dropTimer = null;
        }

        try
        {
            Backend.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The backend went first; it is gone either way.
        }

        Backend.Dispose();
        return true;
    }

    /// <summary>Ends with RST towards the client (linger 0), the way a NodeBalancer drops a flow.</summary>
    public void Abort() => End(reset: true);

    /// <summary>Ends with FIN towards the client.</summary>
    public void Close() => End(reset: false);

    public void Dispose() => End(reset: true);

    /// <summary>
    /// Ends the connection once; <paramref name="onEnding"/> runs only if this call ended it, before the sockets close,
    /// so a client that has seen the end finds it counted.
    /// </summary>
    private bool End(bool reset, Action? onEnding = null)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return false;
            }

            _ended = true;
            _cutTimer?.Dispose();
            _dropTimer?.Dispose();
        }

        onEnding?.Invoke();

        try
        {
            if (reset)
            {
                Client.LingerState = new LingerOption(true, 0);
                if (Backend is not null)
                {
                    Backend.LingerState = new LingerOption(true, 0);
                }
            }
            else
            {
                Client.Shutdown(SocketShutdown.Both);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The peer got there first; closing below is all that is left to do.
        }

        Client.Dispose();
        Backend?.Dispose();
        return true;
    }
}
