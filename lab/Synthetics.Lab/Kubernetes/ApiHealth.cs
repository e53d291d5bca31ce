using System.Collections.Frozen;
using System.Text;

namespace Synthetics.Lab.Kubernetes;

/// <summary>
/// The API server's <c>/readyz</c>, <c>/livez</c> and <c>/healthz</c> checks, rendered in kube-apiserver's text
/// format so probes parse the lab exactly as they parse a real control plane.
/// </summary>
internal sealed class ApiHealth
{
    // The check names and order of a v1.31 kube-apiserver; /livez omits the readiness-only ones.
    private static readonly string[] LivezChecks =
    [
        "ping",
        "log",
        "etcd",
        "poststarthook/start-apiserver-admission-initializer",
        "poststarthook/generic-apiserver-start-informers",
        "poststarthook/priority-and-fairness-config-consumer",
        "poststarthook/priority-and-fairness-filter",
        "poststarthook/storage-object-count-tracker-hook",
        "poststarthook/start-apiextensions-informers",
        "poststarthook/start-apiextensions-controllers",
        "poststarthook/crd-informer-synced",
        "poststarthook/start-system-namespaces-controller",
        "poststarthook/start-cluster-authentication-info-controller",
        "poststarthook/start-kube-apiserver-identity-lease-controller",
        "poststarthook/start-kube-apiserver-identity-lease-garbage-collector",
        "poststarthook/start-legacy-token-tracking-controller",
        "poststarthook/start-service-ip-repair-controllers",
        "poststarthook/rbac/bootstrap-roles",
        "poststarthook/scheduling/bootstrap-system-priority-classes",
        "poststarthook/priority-and-fairness-config-producer",
        "poststarthook/bootstrap-controller",
        "poststarthook/aggregator-reload-proxy-client-cert",
        "poststarthook/start-kube-aggregator-informers",
        "poststarthook/apiservice-status-local-available-controller",
        "poststarthook/apiservice-status-remote-available-controller",
        "poststarthook/apiservice-registration-controller",
        "poststarthook/apiservice-discovery-controller",
        "poststarthook/kube-apiserver-autoregistration",
        "autoregister-completion",
        "poststarthook/apiservice-openapi-controller",
        "poststarthook/apiservice-openapiv3-controller",
    ];

    private static readonly string[] ReadyzChecks =
    [
        .. LivezChecks[..3],
        "etcd-readiness",
        "informer-sync",
        .. LivezChecks[3..],
        "shutdown",
    ];

    private FrozenSet<string> _failing = FrozenSet<string>.Empty;

    public IReadOnlyCollection<string> Failing => Volatile.Read(ref _failing);

    public void SetFailing(IEnumerable<string> checks) =>
        Volatile.Write(ref _failing, checks.ToFrozenSet(StringComparer.Ordinal));

    public static IReadOnlyList<string> ChecksFor(string endpoint) => endpoint == "readyz" ? ReadyzChecks : LivezChecks;

    /// <summary>Renders one endpoint; a failure always lists every check, as the real server does.</summary>
    public (int StatusCode, string Body) Render(string endpoint, bool verbose, IReadOnlyCollection<string> excluded)
    {
        var failing = Volatile.Read(ref _failing);
        var checks = ChecksFor(endpoint);
        var failed = checks.Any(c => failing.Contains(c) && !excluded.Contains(c));
        if (!verbose && !failed)
        {
            return (200, "ok");
        }

        var body = new StringBuilder();
        foreach (var check in checks)
        {
            if (excluded.Contains(check))
            {
                body.Append("[+]").Append(check).Append(" excluded: ok\n");
            }
            else if (failing.Contains(check))
            {
                body.Append("[-]").Append(check).Append(" failed: reason withheld\n");
            }
            else
            {
                body.Append("[+]").Append(check).Append(" ok\n");
            }
        }

        body.Append(endpoint).Append(failed ? " check failed\n" : " check passed\n");
        return (failed ? 500 : 200, body.ToString());
    }

    /// <summary>Renders a single check such as <c>/readyz/etcd</c>.</summary>
    public (int StatusCode, string Body) RenderOne(string endpoint, string check)
    {
        if (!ChecksFor(endpoint).Contains(check))
        {
            return (404, "404 page not found\n");
        }

        return Volatile.Read(ref _failing).Contains(check)
            ? (500, "internal server error: reason withheld\n")
            : (200, "ok");
    }
}
