using System.Globalization;
using System.Security.Cryptography;
using k8s;
using k8s.Models;

namespace Synthetics.Lab.Kubernetes;

/// <summary>
/// Leases in memory, with etcd's essentials: one global, increasing resourceVersion; optimistic concurrency on
/// writes; a bounded change history that watches resume from. One lock keeps a watch's initial state and its
/// subsequent events consistent.
/// </summary>
internal sealed class LeaseStore
{
    private const string GenerateNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Namespace, string Name), V1Lease> _leases = [];
    private readonly Queue<LeaseEvent> _history = new();
    private readonly List<LeaseWatch> _watches = [];
    private readonly TimeProvider _time;
    private readonly int _historyLength;

    // A fresh cluster has written plenty before the first client arrives; starting above 1 keeps clients honest
    // about treating resourceVersion as opaque.
    private long _resourceVersion = 100;
    private long _compactedThrough;

    public LeaseStore(TimeProvider time, int historyLength)
    {
        _time = time;
        _historyLength = Math.Max(1, historyLength);
    }

    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    public V1Lease? Get(string namespaceName, string name)
    {
        lock (_gate)
        {
            return _leases.GetValueOrDefault((namespaceName, name));
        }
    }

    public (List<V1Lease> Items, long ResourceVersion) List(string? namespaceName, LeaseSelector selector)
    {
        lock (_gate)
        {
            var items = _leases.Values
                .Where(l => namespaceName is null || l.Metadata.NamespaceProperty == namespaceName)
                .Where(selector.Matches)
                .OrderBy(l => l.Metadata.NamespaceProperty, StringComparer.Ordinal)
                .ThenBy(l => l.Metadata.Name, StringComparer.Ordinal)
                .ToList();
            return (items, _resourceVersion);
        }
    }

    public LeaseResult Create(string namespaceName, V1Lease lease)
    {
        lease.Metadata ??= new V1ObjectMeta();
        if (NamespaceMismatch(namespaceName, lease) is { } mismatch)
        {
            return LeaseResult.Fail(mismatch);
        }

        lock (_gate)
        {
            if (string.IsNullOrEmpty(lease.Metadata.Name) && !string.IsNullOrEmpty(lease.Metadata.GenerateName))
            {
                lease.Metadata.Name = lease.Metadata.GenerateName + RandomSuffix();
            }

            if (string.IsNullOrEmpty(lease.Metadata.Name))
            {
                return LeaseResult.Fail(ApiStatus.Invalid(string.Empty, "metadata.name: Required value: name or generateName is required"));
            }

            if (_leases.ContainsKey((namespaceName, lease.Metadata.Name)))
            {
                return LeaseResult.Fail(ApiStatus.AlreadyExists(lease.Metadata.Name));
            }

            Normalize(lease, namespaceName);
            lease.Metadata.Uid = Guid.NewGuid().ToString();
            lease.Metadata.CreationTimestamp = LeaseJson.ToSeconds(_time.GetUtcNow());
            Commit(LeaseEvent.Added, lease);
            return new LeaseResult(lease, null, Created: true);
        }
    }

    public LeaseResult Replace(string namespaceName, string name, V1Lease lease)
    {
        lease.Metadata ??= new V1ObjectMeta();
        if (NamespaceMismatch(namespaceName, lease) is { } mismatch)
        {
            return LeaseResult.Fail(mismatch);
        }

        if (lease.Metadata.Name != name)
        {
            return LeaseResult.Fail(ApiStatus.BadRequest(
                $"the name of the object ({lease.Metadata.Name}) does not match the name on the URL ({name})"));
        }

        lock (_gate)
        {
            if (!_leases.TryGetValue((namespaceName, name), out var current))
            {
                // Leases allow create-on-update; an update that names a version of a missing object cannot succeed.
                return string.IsNullOrEmpty(lease.Metadata.ResourceVersion)
                    ? Create(namespaceName, lease)
                    : LeaseResult.Fail(ApiStatus.NotFound(name));
            }

            return UpdateLocked(current, lease);
        }
    }

    /// <summary>Applies <paramref name="patch"/> to the current object under the lock, so a patch never loses a race.</summary>
    public LeaseResult Patch(string namespaceName, string name, Func<V1Lease, LeaseResult> patch)
    {
        lock (_gate)
        {
            if (!_leases.TryGetValue((namespaceName, name), out var current))
            {
                return LeaseResult.Fail(ApiStatus.NotFound(name));
            }

            var patched = patch(current);
            if (patched.Lease is not { } lease)
            {
                return patched;
            }

            lease.Metadata ??= new V1ObjectMeta();
            if (lease.Metadata.Name != name || NamespaceMismatch(namespaceName, lease) is not null)
            {
                return LeaseResult.Fail(ApiStatus.BadRequest("metadata.name and metadata.namespace cannot be changed by a patch"));
            }

            return UpdateLocked(current, lease);
        }
    }

    public LeaseResult Delete(string namespaceName, string name, string? expectedResourceVersion, string? expectedUid)
    {
        lock (_gate)
        {
            if (!_leases.TryGetValue((namespaceName, name), out var current))
            {
                return LeaseResult.Fail(ApiStatus.NotFound(name));
            }

            if (!string.IsNullOrEmpty(expectedUid) && expectedUid != current.Metadata.Uid)
            {
                return LeaseResult.Fail(ApiStatus.Conflict(name,
                    $"Precondition failed: UID in precondition: {expectedUid}, UID in object meta: {current.Metadata.Uid}"));
            }

            if (!string.IsNullOrEmpty(expectedResourceVersion) && expectedResourceVersion != current.Metadata.ResourceVersion)
            {
                return LeaseResult.Fail(ApiStatus.Conflict(name,
                    $"the ResourceVersion in the precondition ({expectedResourceVersion}) does not match the ResourceVersion in record ({current.Metadata.ResourceVersion}). The object might have been modified"));
            }

            _leases.Remove((namespaceName, name));

            // The DELETED event carries the object at the deletion's revision, as etcd reports it.
            var tombstone = LeaseJson.Clone(current);
            Commit(LeaseEvent.Deleted, tombstone, store: false);
            return new LeaseResult(current, null);
        }
    }

    /// <summary>
    /// Subscribes to changes after <paramref name="fromResourceVersion"/>; without one (or "0"), the watch first
    /// gets an ADDED event for every existing object, as the real server sends.
    /// </summary>
    public (LeaseWatch? Watch, ApiStatus? Error) Watch(string? namespaceName, LeaseSelector selector, long? fromResourceVersion)
    {
        lock (_gate)
        {
            var watch = new LeaseWatch(namespaceName, selector, Unsubscribe);
            if (fromResourceVersion is null or 0)
            {
                foreach (var lease in _leases.Values.OrderBy(l => long.Parse(l.Metadata.ResourceVersion, CultureInfo.InvariantCulture)))
                {
                    watch.Deliver(new LeaseEvent(LeaseEvent.Added, lease, _resourceVersion));
                }
            }
            else if (fromResourceVersion < _compactedThrough)
            {
                return (null, ApiStatus.Gone(fromResourceVersion.Value, _compactedThrough));
            }
            else
            {
                foreach (var change in _history.Where(e => e.ResourceVersion > fromResourceVersion))
                {
                    watch.Deliver(change);
                }
            }

            _watches.Add(watch);
            return (watch, null);
        }
    }

    private LeaseResult UpdateLocked(V1Lease current, V1Lease lease)
    {
        var name = current.Metadata.Name;
        if (!string.IsNullOrEmpty(lease.Metadata.ResourceVersion) && lease.Metadata.ResourceVersion != current.Metadata.ResourceVersion)
        {
            return LeaseResult.Fail(ApiStatus.Modified(name));
        }

        Normalize(lease, current.Metadata.NamespaceProperty);
        lease.Metadata.Uid = current.Metadata.Uid;
        lease.Metadata.CreationTimestamp = current.Metadata.CreationTimestamp;
        lease.Metadata.ResourceVersion = current.Metadata.ResourceVersion;

        // Like the real server, an update that changes nothing writes nothing: no new version, no event.
        if (KubernetesJson.Serialize(lease) == KubernetesJson.Serialize(current))
        {
            return new LeaseResult(current, null);
        }

        Commit(LeaseEvent.Modified, lease);
        return new LeaseResult(lease, null);
    }

    private void Commit(string type, V1Lease lease, bool store = true)
    {
        _resourceVersion++;
        lease.Metadata.ResourceVersion = _resourceVersion.ToString(CultureInfo.InvariantCulture);
        if (store)
        {
            _leases[(lease.Metadata.NamespaceProperty, lease.Metadata.Name)] = lease;
        }

        var change = new LeaseEvent(type, lease, _resourceVersion);
        _history.Enqueue(change);
        while (_history.Count > _historyLength)
        {
            _compactedThrough = _history.Dequeue().ResourceVersion;
        }

        foreach (var watch in _watches)
        {
            watch.Deliver(change);
        }
    }

    private void Unsubscribe(LeaseWatch watch)
    {
        lock (_gate)
        {
            _watches.Remove(watch);
        }
    }

    private static void Normalize(V1Lease lease, string namespaceName)
    {
        lease.ApiVersion = LeaseJson.ApiVersion;
        lease.Kind = LeaseJson.Kind;
        lease.Metadata.NamespaceProperty = namespaceName;
        lease.Metadata.ManagedFields = null;
        if (lease.Spec is { } spec)
        {
            spec.AcquireTime = LeaseJson.ToMicroseconds(spec.AcquireTime);
            spec.RenewTime = LeaseJson.ToMicroseconds(spec.RenewTime);
        }
    }

    private static ApiStatus? NamespaceMismatch(string namespaceName, V1Lease lease) =>
        !string.IsNullOrEmpty(lease.Metadata.NamespaceProperty) && lease.Metadata.NamespaceProperty != namespaceName
            ? ApiStatus.BadRequest("the namespace of the provided object does not match the namespace sent on the request")
            : null;

    private static string RandomSuffix() =>
        string.Create(5, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = GenerateNameAlphabet[RandomNumberGenerator.GetInt32(GenerateNameAlphabet.Length)];
            }
        });
}
