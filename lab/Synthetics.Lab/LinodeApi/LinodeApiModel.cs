namespace Synthetics.Lab.LinodeApi;

/// <summary>
/// What the lab's Linode API knows: clusters (with kubeconfig and endpoints), NodeBalancers with their
/// configs and nodes, and regions. Safe to change from a test or a scenario while the server answers:
/// every read is a snapshot taken under one lock, so a page never mixes two versions of the model.
/// Upserts replace by id; lists come back ordered by id, as the API pages them.
/// </summary>
public sealed class LinodeApiModel
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, LkeCluster> _clusters = [];
    private readonly SortedDictionary<long, NodeBalancer> _nodeBalancers = [];
    private readonly SortedDictionary<long, NodeBalancerConfig> _configs = [];
    private readonly SortedDictionary<long, NodeBalancerNode> _nodes = [];
    private readonly SortedDictionary<string, LinodeRegion> _regions = new(StringComparer.Ordinal);
    private readonly List<AccountNotification> _notifications = [];
    private readonly SortedDictionary<long, AccountEvent> _events = [];

    public IReadOnlyList<LkeCluster> Clusters => Snapshot(_clusters);

    public IReadOnlyList<NodeBalancer> NodeBalancers => Snapshot(_nodeBalancers);

    public IReadOnlyList<NodeBalancerConfig> Configs => Snapshot(_configs);

    public IReadOnlyList<NodeBalancerNode> Nodes => Snapshot(_nodes);

    public IReadOnlyList<LinodeRegion> Regions => Snapshot(_regions);

    /// <summary>The account's notifications, in the order they were added.</summary>
    public IReadOnlyList<AccountNotification> Notifications
    {
        get
        {
            lock (_gate)
            {
                return [.. _notifications];
            }
        }
    }

    /// <summary>The account's events, ordered by id.</summary>
    public IReadOnlyList<AccountEvent> Events => Snapshot(_events);

    public void AddNotification(AccountNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        lock (_gate)
        {
            _notifications.Add(notification);
        }
    }

    /// <summary>Removes every notification matching <paramref name="predicate"/> (a notification goes when its cause is resolved); returns how many.</summary>
    public int RemoveNotifications(Func<AccountNotification, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        lock (_gate)
        {
            return _notifications.RemoveAll(n => predicate(n));
        }
    }

    /// <summary>Adds an event; one with id 0 gets the next id. Returns it as stored.</summary>
    public AccountEvent AddEvent(AccountEvent accountEvent)
    {
        ArgumentNullException.ThrowIfNull(accountEvent);
        lock (_gate)
        {
            var stored = accountEvent.Id > 0 ? accountEvent : accountEvent with { Id = (_events.Count == 0 ? 1000 : _events.Keys.Max()) + 1 };
            _events[stored.Id] = stored;
            return stored;
        }
    }

    /// <summary>Removes every notification and event (a scenario switch starts from a quiet account).</summary>
    public void ClearAccountActivity()
    {
        lock (_gate)
        {
            _notifications.Clear();
            _events.Clear();
        }
    }

    public void UpsertCluster(LkeCluster cluster) => Upsert(_clusters, cluster.Id, cluster);

    public bool RemoveCluster(long clusterId) => Remove(_clusters, clusterId);

    public void UpsertNodeBalancer(NodeBalancer nodeBalancer) => Upsert(_nodeBalancers, nodeBalancer.Id, nodeBalancer);

    /// <summary>Removes the NodeBalancer with its configs and nodes, as deleting one does.</summary>
    public bool RemoveNodeBalancer(long nodeBalancerId)
    {
        lock (_gate)
        {
            RemoveWhere(_configs, c => c.NodeBalancerId == nodeBalancerId);
            RemoveWhere(_nodes, n => n.NodeBalancerId == nodeBalancerId);
            return _nodeBalancers.Remove(nodeBalancerId);
        }
    }

    public void UpsertConfig(NodeBalancerConfig config) => Upsert(_configs, config.Id, config);

    /// <summary>Removes the config and its nodes.</summary>
    public bool RemoveConfig(long configId)
    {
        lock (_gate)
        {
            RemoveWhere(_nodes, n => n.ConfigId == configId);
            return _configs.Remove(configId);
        }
    }

    public void UpsertNode(NodeBalancerNode node) => Upsert(_nodes, node.Id, node);

    public bool RemoveNode(long nodeId) => Remove(_nodes, nodeId);

    public void UpsertRegion(LinodeRegion region) => Upsert(_regions, region.Id, region);

    public bool RemoveRegion(string regionId) => Remove(_regions, regionId);

    /// <summary>Sets the <c>status</c> of one node (<c>UP</c>, <c>DOWN</c>, <c>unknown</c>); false if there is no such node.</summary>
    public bool SetNodeStatus(long nodeId, string status)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(status);
        lock (_gate)
        {
            if (!_nodes.TryGetValue(nodeId, out var node))
            {
                return false;
            }

            _nodes[nodeId] = node with { Status = status };
            return true;
        }
    }

    internal LkeCluster? FindCluster(long clusterId) => Find(_clusters, clusterId);

    internal NodeBalancer? FindNodeBalancer(long nodeBalancerId) => Find(_nodeBalancers, nodeBalancerId);

    internal NodeBalancerConfig? FindConfig(long nodeBalancerId, long configId)
    {
        var config = Find(_configs, configId);
        return config?.NodeBalancerId == nodeBalancerId ? config : null;
    }

    internal IReadOnlyList<NodeBalancerConfig> ConfigsOf(long nodeBalancerId) =>
        Configs.Where(c => c.NodeBalancerId == nodeBalancerId).ToArray();

    internal IReadOnlyList<NodeBalancerNode> NodesOf(long configId) =>
        Nodes.Where(n => n.ConfigId == configId).ToArray();

    private T[] Snapshot<TKey, T>(SortedDictionary<TKey, T> items)
        where TKey : notnull
    {
        lock (_gate)
        {
            return items.Values.ToArray();
        }
    }

    private T? Find<TKey, T>(SortedDictionary<TKey, T> items, TKey key)
        where TKey : notnull
        where T : class
    {
        lock (_gate)
        {
            return items.GetValueOrDefault(key);
        }
    }

    private void Upsert<TKey, T>(SortedDictionary<TKey, T> items, TKey key, T item)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_gate)
        {
            items[key] = item;
        }
    }

    private bool Remove<TKey, T>(SortedDictionary<TKey, T> items, TKey key)
        where TKey : notnull
    {
        lock (_gate)
        {
            return items.Remove(key);
        }
    }

    private static void RemoveWhere<T>(SortedDictionary<long, T> items, Func<T, bool> predicate)
    {
        foreach (var key in items.Where(pair => predicate(pair.Value)).Select(pair => pair.Key).ToArray())
        {
            items.Remove(key);
        }
    }
}
