namespace Synthetics.Lab.LinodeApi;

/// <summary>
/// An event of the account (<c>GET /account/events</c>, spec v4.189.0): an action taken on an entity, such as
/// <c>lke_cluster_update</c> on a cluster or <c>nodebalancer_config_update</c> on a NodeBalancer.
/// </summary>
public sealed record AccountEvent
{
    /// <summary>The event id; 0 lets the model assign the next one.</summary>
    public long Id { get; init; }

    /// <summary>The action, e.g. <c>lke_cluster_update</c>, <c>lke_token_rotate</c>, <c>nodebalancer_node_update</c>.</summary>
    public required string Action { get; init; }

    public required DateTimeOffset Created { get; init; }

    /// <summary>Seconds it took, once finished; null while it runs.</summary>
    public double? Duration { get; init; }

    /// <summary><c>failed</c>, <c>finished</c>, <c>notification</c>, <c>scheduled</c> or <c>started</c>. Default <c>finished</c>.</summary>
    public string Status { get; init; } = "finished";

    /// <summary>The entity's type: <c>lkecluster</c> (what the live API sends for a cluster), <c>nodebalancer</c>, <c>linode</c>, ….</summary>
    public required string EntityType { get; init; }

    public long? EntityId { get; init; }

    public string? EntityLabel { get; init; }

    /// <summary>Who made it. Default <c>lab-user</c>.</summary>
    public string? Username { get; init; } = "lab-user";
}
