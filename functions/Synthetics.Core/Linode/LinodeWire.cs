using System.Text.Json;

namespace Synthetics.Linode;

/// <summary>
/// The shapes of the Linode API v4 answers discovery reads (v4.189.0 spec), as strict records: a missing required field or
/// a field of the wrong type is a <see cref="JsonException"/>, which the client reports as an answer it cannot read.
/// </summary>
internal static class LinodeWire
{
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };
}

/// <summary>A page of a list: <c>data</c>, <c>page</c> (from 1), <c>pages</c> (at least 1), <c>results</c>.</summary>
internal sealed record LinodePage<T>
{
    public required IReadOnlyList<T> Data { get; init; }

    public required int Page { get; init; }

    public required int Pages { get; init; }

    public required int Results { get; init; }
}

/// <summary>An item of <c>GET /lke/clusters</c>.</summary>
internal sealed record LkeClusterItem
{
    public required long Id { get; init; }

    public required string Label { get; init; }

    public required string Region { get; init; }

    public string? K8sVersion { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    public LkeControlPlane? ControlPlane { get; init; }
}

/// <summary>A cluster's <c>control_plane</c>: high availability and, where the account has it, the ACL.</summary>
internal sealed record LkeControlPlane
{
    public bool? HighAvailability { get; init; }

    public LkeAcl? Acl { get; init; }
}

/// <summary>A control-plane ACL (<c>GET /lke/clusters/{id}/control_plane_acl</c> answers <c>{"acl": …}</c>).</summary>
internal sealed record LkeAcl
{
    public bool? Enabled { get; init; }

    public LkeAclAddresses? Addresses { get; init; }
}

internal sealed record LkeAclAddresses
{
    public IReadOnlyList<string>? Ipv4 { get; init; }

    public IReadOnlyList<string>? Ipv6 { get; init; }
}

/// <summary>The answer of <c>GET /lke/clusters/{id}/control_plane_acl</c>.</summary>
internal sealed record LkeAclAnswer
{
    public LkeAcl? Acl { get; init; }
}

/// <summary>An item of <c>GET /lke/clusters/{id}/api-endpoints</c>, e.g. <c>https://192.0.2.1:6443</c>.</summary>
internal sealed record LkeApiEndpoint
{
    public required string Endpoint { get; init; }
}

/// <summary>An item of <c>GET /nodebalancers</c>.</summary>
internal sealed record NodeBalancerItem
{
    public required long Id { get; init; }

    public required string Label { get; init; }

    public required string Region { get; init; }

    public string? Hostname { get; init; }

    public string? Ipv4 { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }
}

/// <summary>An item of <c>GET /nodebalancers/{id}/configs</c>: one public port.</summary>
internal sealed record NodeBalancerConfigItem
{
    public required long Id { get; init; }

    public required int Port { get; init; }

    /// <summary><c>http</c>, <c>https</c>, <c>tcp</c> or <c>udp</c>.</summary>
    public required string Protocol { get; init; }

    /// <summary><c>none</c>, <c>connection</c>, <c>http</c> or <c>http_body</c>.</summary>
    public string? Check { get; init; }

    public string? CheckPath { get; init; }
}

/// <summary>
/// An item of <c>GET /account/notifications</c>: <c>type</c> (<c>maintenance</c>, <c>outage</c>, <c>migration_scheduled</c>,
/// …), <c>label</c>, <c>message</c>, <c>severity</c>, <c>when</c> (the start, for something ahead), <c>until</c> (its end) and
/// the <c>entity</c> it concerns. Times come as <c>2026-03-12T14:00:00</c>, UTC without an offset.
/// </summary>
internal sealed record AccountNotificationItem
{
    public required string Type { get; init; }

    public string? Label { get; init; }

    public string? Message { get; init; }

    public string? Severity { get; init; }

    public DateTime? When { get; init; }

    public DateTime? Until { get; init; }

    public AccountEntity? Entity { get; init; }
}

/// <summary>
/// The <c>entity</c> of a notification or an event: <c>id</c> (a number for a NodeBalancer or a cluster; a region's id is
/// its name, so it is read as either), <c>label</c>, <c>type</c> and <c>url</c> (<c>/regions/ca-central</c>, …).
/// </summary>
internal sealed record AccountEntity
{
    public JsonElement? Id { get; init; }

    public string? Label { get; init; }

    public string? Type { get; init; }

    public string? Url { get; init; }
}

/// <summary>
/// An item of <c>GET /account/events</c>: <c>id</c>, <c>action</c> (<c>lke_cluster_update</c>, <c>nodebalancer_config_update</c>,
/// …), <c>created</c> (UTC without an offset), <c>duration</c> in seconds, <c>status</c>, <c>entity</c> and <c>username</c>.
/// </summary>
internal sealed record AccountEventItem
{
    public required long Id { get; init; }

    public required string Action { get; init; }

    public required DateTime Created { get; init; }

    public double? Duration { get; init; }

    public string? Status { get; init; }

    public AccountEntity? Entity { get; init; }

    public string? Username { get; init; }
}
