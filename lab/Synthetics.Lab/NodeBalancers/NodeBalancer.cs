using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Synthetics.Lab.Faults;

namespace Synthetics.Lab.NodeBalancers;

/// <summary>
/// A lab Linode NodeBalancer in TCP mode: raw sockets passing bytes through untouched (TLS stays end to end
/// between client and backend), round robin over backends that can be taken up and down, and a
/// <see cref="FaultPlan"/> that impairs new connections the way the March-12 ca-central fleet change did.
/// </summary>
/// <remarks>
/// Each vantage point is a separate client identity with its own listener on 127.0.0.1 (port chosen by the
/// OS): clients of a vantage connect to <see cref="GetEndpoint"/>. A plan applies to every vantage or to
/// one; a vantage's own plan replaces the NodeBalancer-wide plan for that vantage. With no backend up (or
/// none answering) a connection is accepted and then reset: the NodeBalancer's address always accepts,
/// there is just nobody behind it.
/// </remarks>
public sealed partial class NodeBalancer : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _backendConnectTimeout;
    private readonly Dictionary<string, VantageListener> _vantages = new(StringComparer.Ordinal);
    private readonly BackendSlot[] _backends;
    private readonly Random _random;
    private readonly Lock _randomGate = new();
    private readonly Lock _planGate = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ConcurrentDictionary<ProxiedConnection, byte> _connections = new();
    private readonly Task[] _acceptLoops;
    private FaultPlan _plan = FaultPlan.None;

    // When each rolling fleet change (a plan with DropOpenFlowsOver) was first applied, by plan instance.
    private readonly Dictionary<FaultPlan, DateTimeOffset> _rollouts = new(ReferenceEqualityComparer.Instance);
    private int _nextBackend = -1;
    private int _disposed;

    /// <summary>Binds one listener per vantage on 127.0.0.1 and starts accepting at once.</summary>
    public NodeBalancer(NodeBalancerOptions options, ILogger<NodeBalancer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Name);
        if (options.Vantages.Count == 0)
        {
            throw new ArgumentException("At least one vantage is needed.", nameof(options));
        }

        if (options.Backends.Count == 0)
        {
            throw new ArgumentException("At least one backend is needed.", nameof(options));
        }

        Name = options.Name;
        _logger = logger ?? NullLogger<NodeBalancer>.Instance;
        _time = options.TimeProvider;
        _backendConnectTimeout = options.BackendConnectTimeout;
        _random = new Random(options.Seed);
        _backends = [.. options.Backends.Select(endpoint => new BackendSlot(endpoint))];
        Vantages = [.. options.Vantages];

        try
        {
            foreach (var vantage in options.Vantages)
            {
                ArgumentException.ThrowIfNullOrWhiteSpace(vantage);
                if (_vantages.ContainsKey(vantage))
                {
                    throw new ArgumentException($"Vantage '{vantage}' is listed twice.", nameof(options));
                }

                var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                    // A deep backlog: load tests open hundreds of connections at once and a full queue would
                    // look like a fault the plan never asked for.
                    listener.Listen(1024);
                }
                catch
                {
                    listener.Dispose();
                    throw;
                }

                _vantages.Add(vantage, new VantageListener(vantage, listener));
            }
        }
        catch
        {
            foreach (var listener in _vantages.Values)
            {
                listener.Dispose();
            }

            _shutdown.Dispose();
            throw;
        }

        _acceptLoops = [.. _vantages.Values.Select(AcceptLoopAsync)];
        foreach (var listener in _vantages.Values)
        {
            NodeBalancerLog.Listening(_logger, Name, listener.Name, listener.Endpoint);
        }
    }

    /// <summary>The NodeBalancer's label.</summary>
    public string Name { get; }

    /// <summary>Vantage names in construction order.</summary>
    public IReadOnlyList<string> Vantages { get; }

    /// <summary>The NodeBalancer-wide plan; <see cref="FaultPlan.None"/> when clear.</summary>
    public FaultPlan FaultPlan
    {
        get
        {
            lock (_planGate)
            {
                return _plan;
            }
        }
    }

    /// <summary>Backends in round-robin order with their up/down state.</summary>
    public IReadOnlyList<BackendStatus> Backends =>
        [.. _backends.Select((slot, index) => new BackendStatus(index, slot.Endpoint, slot.IsUp))];

    /// <summary>
    /// Where clients of <paramref name="vantage"/> connect: 127.0.0.1 and a port the OS picked.
    /// Throws <see cref="KeyNotFoundException"/> for an unknown vantage.
    /// </summary>
    public IPEndPoint GetEndpoint(string vantage) => Listener(vantage).Endpoint;

    /// <summary>The plan pinned on <paramref name="vantage"/> alone, or null when the NodeBalancer-wide plan applies.</summary>
    public FaultPlan? GetVantageFaultPlan(string vantage) => Listener(vantage).Override;

    /// <summary>The plan new connections from <paramref name="vantage"/> get right now.</summary>
    public FaultPlan GetEffectiveFaultPlan(string vantage) => Listener(vantage).Override ?? FaultPlan;

    /// <summary>
    /// Replaces the plan for every vantage (<paramref name="vantage"/> null; vantage-specific plans stay) or
    /// for one vantage. Takes effect for new connections at once; open forwarded connections get the new
    /// plan's cut (or lose a pending one). Throws <see cref="ArgumentException"/> for an invalid plan.
    /// </summary>
    public void SetFaultPlan(FaultPlan plan, string? vantage = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Validate() is { } error)
        {
            throw new ArgumentException($"{error.Field}: {error.Message}", nameof(plan));
        }

        lock (_planGate)
        {
            if (vantage is null)
            {
                _plan = plan;
            }
            else
            {
                Listener(vantage).Override = plan;
            }

            if (plan.DropOpenFlowsOver is not null)
            {
                _rollouts.TryAdd(plan, _time.GetUtcNow());
            }
        }

        NodeBalancerLog.FaultPlanSet(_logger, Name, vantage ?? "all vantages", plan);
        if (plan.DropOpenFlows && plan.DropOpenFlowsOver is null)
        {
            DropOpenFlows(vantage);
        }

        RescheduleCuts();
    }

    /// <summary>
    /// Clears faults: all of them (NodeBalancer-wide and every vantage's) when <paramref name="vantage"/> is
    /// null, otherwise only that vantage's own plan, so it falls back to the NodeBalancer-wide plan.
    /// </summary>
    public void ClearFaults(string? vantage = null)
    {
        lock (_planGate)
        {
            if (vantage is null)
            {
                _plan = FaultPlan.None;
                foreach (var listener in _vantages.Values)
                {
                    listener.Override = null;
                }

                _rollouts.Clear();
            }
            else
            {
                Listener(vantage).Override = null;
            }
        }

        NodeBalancerLog.FaultsCleared(_logger, Name, vantage ?? "all vantages");
        RescheduleCuts();
    }

    /// <summary>Takes a backend out of (or back into) the round robin; new connections only, open ones stay.</summary>
    public void SetBackendUp(int index, bool isUp)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _backends.Length);
        _backends[index].IsUp = isUp;
        NodeBalancerLog.BackendStateChanged(_logger, Name, index, _backends[index].Endpoint, isUp);
    }

    /// <summary>Counters since start, per vantage and in total.</summary>
    public NodeBalancerStatistics GetStatistics()
    {
        var perVantage = _vantages.Values.ToDictionary(v => v.Name, v => v.Counters.Snapshot(), StringComparer.Ordinal);
        var total = perVantage.Values.Aggregate(VantageStatistics.Empty, (sum, next) => sum.Add(next));
        return new NodeBalancerStatistics(perVantage, total);
    }

    /// <summary>Stops listening, resets every open connection and waits for their handlers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _shutdown.CancelAsync();
        foreach (var listener in _vantages.Values)
        {
            listener.Dispose();
        }

        await Task.WhenAll(_acceptLoops);
        var open = _connections.Keys.ToList();
        foreach (var connection in open)
        {
            connection.Abort();
        }

        await Task.WhenAll(open.Select(connection => connection.Finished));
        _shutdown.Dispose();
    }

    private VantageListener Listener(string vantage) =>
        _vantages.TryGetValue(vantage, out var listener)
            ? listener
            : throw new KeyNotFoundException($"NodeBalancer '{Name}' has no vantage '{vantage}'.");

    private double NextDouble()
    {
        lock (_randomGate)
        {
            return _random.NextDouble();
        }
    }

    private TimeSpan? DrawCutAfter(FaultPlan plan)
    {
        if (plan.CutAfterMin is not { } min || plan.CutAfterMax is not { } max)
        {
            return null;
        }

        return min + ((max - min) * NextDouble());
    }

    /// <summary>Drops the flow of every forwarded connection the plan just applied to (one vantage's, or every vantage's own plan-less ones).</summary>
    private void DropOpenFlows(string? vantage)
    {
        foreach (var connection in _connections.Keys)
        {
            var applies = vantage is null
                ? connection.Vantage.Override is null
                : string.Equals(connection.Vantage.Name, vantage, StringComparison.Ordinal);
            if (applies && connection.Drop())
            {
                connection.Vantage.Counters.Dropped();
            }
        }
    }

    private void RescheduleCuts()
    {
        foreach (var connection in _connections.Keys)
        {
            // A dropped flow stays silent while the fault that dropped it lasts; after it, the client is reset, as its
            // TCP stack gives up on an unacknowledged flow in the end (the lab's proxy acknowledges every byte, so
            // without this a kept connection would never learn it is dead).
            if (connection.IsDropped && !GetEffectiveFaultPlan(connection.Vantage.Name).DropOpenFlows)
            {
                connection.Abort();
                continue;
            }

            ScheduleCut(connection);
        }
    }

    private void ScheduleCut(ProxiedConnection connection)
    {
        var plan = GetEffectiveFaultPlan(connection.Vantage.Name);
        connection.ScheduleCut(plan, DrawCutAfter, _time, connection.Vantage.Counters.Cut);
        connection.ScheduleDrop(
            plan,
            DrawDropAfter,
            _time,
            stillApplies: p => ReferenceEquals(GetEffectiveFaultPlan(connection.Vantage.Name), p),
            connection.Vantage.Counters.Dropped);
    }

    /// <summary>
    /// When a rolling fleet change replaces the instance a connection's flow lives on, from now: a uniformly random
    /// moment of the rollout, or null when that moment has passed (the connection was accepted by an instance already
    /// replaced) or the plan rolls nothing.
    /// </summary>
    private TimeSpan? DrawDropAfter(FaultPlan plan)
    {
        DateTimeOffset started;
        lock (_planGate)
        {
            if (plan.DropOpenFlowsOver is not { } over || !_rollouts.TryGetValue(plan, out started))
            {
                return null;
            }

            var replacedAt = started + (over * NextDouble());
            var delay = replacedAt - _time.GetUtcNow();
            return delay > TimeSpan.Zero ? delay : null;
        }
    }

    /// <summary>A backend and its switch; read by every new connection, flipped by the admin endpoint.</summary>
    private sealed class BackendSlot(IPEndPoint endpoint)
    {
        private volatile bool _isUp = true;

        public IPEndPoint Endpoint { get; } = endpoint;

        public bool IsUp
        {
            get => _isUp;
            set => _isUp = value;
        }
    }
}
