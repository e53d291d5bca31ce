using System.Net;
using System.Net.Sockets;
using Synthetics.Lab.Faults;

namespace Synthetics.Lab.NodeBalancers;

/// <summary>
/// One vantage point's door into the NodeBalancer: its own loopback port, so traffic arriving there is, by
/// construction, that vantage's, and a fault plan can be pinned on it alone.
/// </summary>
internal sealed class VantageListener : IDisposable
{
    private readonly Lock _throttleGate = new();
    private FaultPlan? _override;
    private FaultPlan? _throttlePlan;
    private ConnectionThrottle? _throttle;

    public VantageListener(string name, Socket listener)
    {
        Name = name;
        Listener = listener;
        Endpoint = (IPEndPoint)listener.LocalEndPoint!;
    }

    public string Name { get; }

    public Socket Listener { get; }

    public IPEndPoint Endpoint { get; }

    public VantageCounters Counters { get; } = new();

    /// <summary>A plan for this vantage only; null means the NodeBalancer-wide plan applies.</summary>
    public FaultPlan? Override
    {
        get => Volatile.Read(ref _override);
        set => Volatile.Write(ref _override, value);
    }

    /// <summary>
    /// The bucket for the plan in force. A new plan starts a fresh, full bucket: the throttle is a property
    /// of the plan, and a leftover deficit from an earlier plan would make the new one stricter than written.
    /// </summary>
    public ConnectionThrottle ThrottleFor(FaultPlan plan, double ratePerSecond, TimeProvider time)
    {
        lock (_throttleGate)
        {
            if (!ReferenceEquals(_throttlePlan, plan) || _throttle is null)
            {
                _throttlePlan = plan;
                _throttle = new ConnectionThrottle(ratePerSecond, time);
            }

            return _throttle;
        }
    }

    public void Dispose() => Listener.Dispose();
}
