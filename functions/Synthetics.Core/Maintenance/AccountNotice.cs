using System.Globalization;
using Synthetics.Discovery;

namespace Synthetics.Maintenance;

/// <summary>
/// A notification of the provider on the account (<c>GET /account/notifications</c>) about something of the provider's
/// that may touch what is monitored: a <c>maintenance</c>, an <c>outage</c>, a migration or reboot scheduled, a
/// <c>notice</c>, on a region, a NodeBalancer, an LKE cluster or a Linode.
/// </summary>
public sealed record AccountNotice
{
    /// <summary>The notification types that speak of the provider's work or trouble (the spec's enum, less billing and tickets).</summary>
    public static IReadOnlyList<string> ProviderTypes { get; } =
        ["maintenance", "outage", "migration_scheduled", "migration_imminent", "migration_pending", "reboot_scheduled", "notice"];

    /// <summary><c>maintenance</c>, <c>outage</c>, … (see <see cref="ProviderTypes"/>).</summary>
    public required string Type { get; init; }

    /// <summary>Its short description (<c>label</c>), or its type when it has none.</summary>
    public required string Label { get; init; }

    public string? Severity { get; init; }

    /// <summary>When it starts (<c>when</c>); null when it is in effect already (an outage) or has no date.</summary>
    public DateTimeOffset? When { get; init; }

    /// <summary>When it ends (<c>until</c>); null when unknown.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>The entity's type as the API names it: <c>region</c>, <c>nodebalancer</c>, <c>lkecluster</c>, <c>linode</c>, ….</summary>
    public string? EntityType { get; init; }

    /// <summary>The entity's id: a number for a NodeBalancer or a cluster, the region's name for a region.</summary>
    public string? EntityId { get; init; }

    public string? EntityLabel { get; init; }

    /// <summary>
    /// A stable id for claims and events: type, entity and start, e.g. <c>account-maintenance-nodebalancer-880101-202603121400</c>
    /// (notifications have no id of their own; one reissued with another window is another notice).
    /// </summary>
    public string Id
    {
        get
        {
            var start = When?.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture) ?? "now";
            return $"account-{Type}-{EntityType ?? "account"}-{EntityId ?? "none"}-{start}";
        }
    }

    /// <summary>What it concerns, for people: <c>NodeBalancer ca-web (880101)</c>, <c>region ca-central</c>.</summary>
    public string Entity => EntityType switch
    {
        "region" => $"region {EntityId}",
        "nodebalancer" => $"NodeBalancer {EntityLabel ?? EntityId} ({EntityId})",
        _ when IsCluster(EntityType) => $"LKE cluster {EntityLabel ?? EntityId} ({EntityId})",
        null => "the account",
        var other => $"{other} {EntityLabel ?? EntityId}",
    };

    /// <summary>
    /// Whether it concerns a target in <paramref name="region"/> with <paramref name="labels"/>: the region, its NodeBalancer
    /// (<c>nodeBalancerId</c>) or its cluster (<c>clusterId</c>).
    /// </summary>
    public bool Touches(string region, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return EntityType switch
        {
            "region" => string.Equals(EntityId, region, StringComparison.OrdinalIgnoreCase),
            "nodebalancer" => EntityId is not null && labels.TryGetValue(DiscoveredLabels.NodeBalancerId, out var id) && id == EntityId,
            _ when IsCluster(EntityType) => EntityId is not null && labels.TryGetValue(DiscoveredLabels.ClusterId, out var id) && id == EntityId,
            _ => false,
        };
    }

    /// <summary>Whether it is in effect at some time of [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public bool Covers(DateTimeOffset from, DateTimeOffset to) =>
        (When is not { } start || start <= to) && (Until is not { } end || end >= from);

    /// <summary>The window as a status-page maintenance, so warnings and incidents name both alike.</summary>
    public MaintenanceWindow AsWindow(DateTimeOffset now) => new()
    {
        Id = Id,
        Name = $"{Label} ({Type} on {Entity})",
        Status = When is { } start && start > now ? "scheduled" : "in_progress",
        ScheduledFor = When,
        ScheduledUntil = Until,
    };

    /// <summary>The API's entity type of an LKE cluster: <c>lkecluster</c> (what the API sends), or <c>lke_cluster</c>.</summary>
    internal static bool IsCluster(string? entityType) => entityType is "lkecluster" or "lke_cluster";
}
