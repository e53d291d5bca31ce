using System.Collections.Concurrent;
using k8s;
using k8s.Autorest;
using Synthetics.Targets;

namespace Synthetics.Probes.Kubernetes;

/// <summary>
/// An authenticated cheap read, the one every controller does: list the Leases of the canary namespace. Timed twice:
/// on a fresh client (new connection, what a restarted controller pays) and on a client kept for the target across runs
/// (the long-lived connection a running controller holds). <c>details</c>: <c>freshMs</c>, <c>reusedMs</c>,
/// <c>leaseCount</c>, <c>reusedConnectionNew</c> (the kept client was created this run and warmed first).
/// </summary>
internal sealed class KubeApiProbe : IProbe, IDisposable
{
    private readonly ConcurrentDictionary<string, KeptClient> _kept = new(StringComparer.Ordinal);

    public string Name => "kube-api";

    public bool AppliesTo(TargetKind kind, TargetEndpoint endpoint) => kind == TargetKind.KubernetesApi;

    public async ValueTask<ProbeObservation> RunAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        var target = context.Target;
        var settings = target.Canary ?? KubernetesCanarySettings.Default;
        var time = context.TimeProvider;

        int leaseCount;
        using (var fresh = KubernetesClientFactory.Create(target, context.UserAgent, settings.ApiCallTimeout, () => context.Audit))
        {
            var started = time.GetTimestamp();
            try
            {
                var list = await fresh.CoordinationV1.ListNamespacedLeaseAsync(settings.Namespace, cancellationToken: cancellationToken);
                leaseCount = list?.Items?.Count
                             ?? throw new UnexpectedAnswerException($"list leases in '{settings.Namespace}' answered a LeaseList without items");
            }
            catch (HttpOperationException ex)
            {
                return ApiFailure.From(ex, $"list leases in '{settings.Namespace}'");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return ApiFailure.CallTimedOut(settings.ApiCallTimeout, $"list leases in '{settings.Namespace}'");
            }

            context.SetDetail("freshMs", LatencySummary.Round(time.GetElapsedTime(started).TotalMilliseconds));
            context.SetDetail("leaseCount", leaseCount);
        }

        var kept = Kept(context);
        kept.Audit = context.Audit;
        try
        {
            if (kept.IsNew)
            {
                // The first use of a kept client opens its connection; a controller pays that once, not on every call.
                await kept.Client.CoordinationV1.ListNamespacedLeaseAsync(settings.Namespace, cancellationToken: cancellationToken);
                kept.IsNew = false;
                context.SetDetail("reusedConnectionNew", true);
            }

            var started = time.GetTimestamp();
            await kept.Client.CoordinationV1.ListNamespacedLeaseAsync(settings.Namespace, cancellationToken: cancellationToken);
            context.SetDetail("reusedMs", LatencySummary.Round(time.GetElapsedTime(started).TotalMilliseconds));
        }
        catch (HttpOperationException ex)
        {
            return ApiFailure.From(ex, $"list leases in '{settings.Namespace}' on the kept connection");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ApiFailure.CallTimedOut(settings.ApiCallTimeout, $"list leases in '{settings.Namespace}' on the kept connection");
        }

        return ProbeObservation.Ok;
    }

    public void Dispose()
    {
        foreach (var kept in _kept.Values)
        {
            kept.Client.Dispose();
        }

        _kept.Clear();
    }

    private KeptClient Kept(ProbeContext context)
    {
        var target = context.Target;
        var settings = target.Canary ?? KubernetesCanarySettings.Default;
        // A target reloaded with another server or credentials gets a new client, never the old connection.
        var identity = (target.Kubernetes!, target.TrustedCertificates, settings.ApiCallTimeout);
        while (true)
        {
            if (_kept.TryGetValue(target.Name, out var existing))
            {
                if (existing.Identity.Equals(identity))
                {
                    return existing;
                }

                if (_kept.TryRemove(new KeyValuePair<string, KeptClient>(target.Name, existing)))
                {
                    existing.Client.Dispose();
                }

                continue;
            }

            var created = new KeptClient(identity, audit => KubernetesClientFactory.Create(target, context.UserAgent, settings.ApiCallTimeout, audit));
            if (_kept.TryAdd(target.Name, created))
            {
                return created;
            }

            created.Client.Dispose();
        }
    }

    private sealed class KeptClient
    {
        public KeptClient(object identity, Func<Func<AuditTrail>, k8s.Kubernetes> create)
        {
            Identity = identity;
            Client = create(() => Audit);
        }

        public k8s.Kubernetes Client { get; }

        /// <summary>The trail of the run using the client now: its requests' Audit-IDs go to that run's result.</summary>
        public AuditTrail Audit { get; set; } = new();

        public object Identity { get; }

        public bool IsNew { get; set; } = true;
    }
}
