using System.Globalization;
using Synthetics.Discovery;

namespace Synthetics.Maintenance;

/// <summary>
/// A change the account made itself (<c>GET /account/events</c>) to an LKE cluster or a NodeBalancer: an update, a
/// recycle, a regeneration, a token rotation, a config or backend node change. An incident that overlaps one on its own
/// targets' entities is likely the customer's doing.
/// </summary>
public sealed record CustomerChange
{
    /// <summary>The event actions read (the spec's names): changes that can interrupt a control plane or a NodeBalancer.</summary>
    public static IReadOnlyList<string> Actions { get; } =
    [
        "lke_cluster_update", "lke_cluster_recycle", "lke_cluster_regenerate", "lke_kubeconfig_regenerate", "lke_token_rotate",
        "lke_pool_recycle", "lke_node_recycle",
        "nodebalancer_update", "nodebalancer_config_create", "nodebalancer_config_update", "nodebalancer_config_delete",
        "nodebalancer_node_create", "nodebalancer_node_update", "nodebalancer_node_delete",
    ];

    public required long Id { get; init; }

    /// <summary>The event's <c>action</c>, e.g. <c>lke_cluster_update</c>.</summary>
    public required string Action { get; init; }

    /// <summary>When it was made (<c>created</c>).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>How long it took, when the API says (<c>duration</c>).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary><c>lkecluster</c> or <c>nodebalancer</c>.</summary>
    public string? EntityType { get; init; }

    public string? EntityId { get; init; }

    public string? EntityLabel { get; init; }

    /// <summary>Who made it (<c>username</c>), when the API says.</summary>
    public string? Username { get; init; }

    /// <summary>Whether it changed the entity of a target with <paramref name="labels"/>.</summary>
    public bool Touches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var key = EntityType == "nodebalancer" ? DiscoveredLabels.NodeBalancerId : AccountNotice.IsCluster(EntityType) ? DiscoveredLabels.ClusterId : null;
        return key is not null && EntityId is not null && labels.TryGetValue(key, out var id) && id == EntityId;
    }

    /// <summary>One line: <c>lke_cluster_update on LKE cluster ca-prod (12345) at 2026-03-12T14:01Z by ops</c>.</summary>
    public string Describe()
    {
        var what = EntityType == "nodebalancer" ? "NodeBalancer" : AccountNotice.IsCluster(EntityType) ? "LKE cluster" : EntityType ?? "entity";
        var by = Username is { Length: > 0 } user ? $" by {user}" : "";
        return string.Create(CultureInfo.InvariantCulture, $"{Action} on {what} {EntityLabel ?? EntityId} ({EntityId}) at {At.UtcDateTime:yyyy-MM-dd'T'HH:mm'Z'}{by}");
    }
}
