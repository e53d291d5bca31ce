namespace Synthetics.Lab.LinodeApi;

/// <summary>
/// A notification on the account (<c>GET /account/notifications</c>, spec v4.189.0): the provider telling the customer of
/// a maintenance, an outage, a migration… on an entity. Notifications have no id; the lab keeps them in insertion order.
/// </summary>
public sealed record AccountNotification
{
    /// <summary><c>maintenance</c>, <c>outage</c>, <c>migration_scheduled</c>, <c>notice</c>, … (the spec's enum).</summary>
    public required string Type { get; init; }

    /// <summary>A short description.</summary>
    public required string Label { get; init; }

    /// <summary>A human-readable description. Default the label.</summary>
    public string? Message { get; init; }

    /// <summary><c>minor</c>, <c>major</c> or <c>critical</c>. Default <c>major</c>.</summary>
    public string Severity { get; init; } = "major";

    /// <summary>When it starts, for something in the future; null otherwise.</summary>
    public DateTimeOffset? When { get; init; }

    /// <summary>When it ends, if it has a duration; null otherwise.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>The entity's type: <c>region</c>, <c>nodebalancer</c>, <c>linode</c>, <c>lkecluster</c>, <c>account</c>, ….</summary>
    public string EntityType { get; init; } = "account";

    /// <summary>The entity's id: a number, or a region's name for a region (the live API's shape); null for the account.</summary>
    public string? EntityId { get; init; }

    /// <summary>The entity's label; null for a region, as the spec says.</summary>
    public string? EntityLabel { get; init; }
}
