using System.Globalization;
using System.Text.Json.Nodes;

namespace Synthetics.Lab.LinodeApi;

/// <summary>
/// The model as the Linode API v4 puts it on the wire (field names and types from the v4.189.0 spec).
/// Built as JSON nodes rather than serialized records because the wire names (<c>site-type</c>,
/// <c>in</c>, <c>nodes_status</c>) are not C# names and some fields are derived.
/// </summary>
internal static class LinodeWire
{
    public static JsonObject Cluster(LkeCluster cluster) => new()
    {
        ["id"] = cluster.Id,
        ["label"] = cluster.Label,
        ["region"] = cluster.Region,
        ["k8s_version"] = cluster.K8sVersion,
        ["status"] = cluster.Status,
        ["created"] = Time(cluster.Created),
        ["updated"] = Time(cluster.Updated),
        ["tags"] = Strings(cluster.Tags),
        ["control_plane"] = cluster.Acl is { } acl
            ? new JsonObject { ["high_availability"] = cluster.HighAvailability, ["acl"] = Acl(acl) }
            : new JsonObject { ["high_availability"] = cluster.HighAvailability },
    };

    public static JsonObject Acl(LkeControlPlaneAcl acl) => new()
    {
        ["enabled"] = acl.Enabled,
        ["addresses"] = new JsonObject { ["ipv4"] = Strings(acl.Ipv4), ["ipv6"] = Strings(acl.Ipv6) },
        ["revision-id"] = acl.RevisionId,
    };

    public static JsonObject ApiEndpoint(string endpoint) => new() { ["endpoint"] = endpoint };

    public static JsonObject NodeBalancer(NodeBalancer nodeBalancer) => new()
    {
        ["id"] = nodeBalancer.Id,
        ["label"] = nodeBalancer.Label,
        ["region"] = nodeBalancer.Region,
        ["hostname"] = nodeBalancer.Hostname ?? $"{nodeBalancer.Ipv4}.ip.linodeusercontent.com",
        ["ipv4"] = nodeBalancer.Ipv4,
        ["ipv6"] = nodeBalancer.Ipv6,
        ["client_conn_throttle"] = nodeBalancer.ClientConnThrottle,
        ["created"] = Time(nodeBalancer.Created),
        ["updated"] = Time(nodeBalancer.Updated),
        ["tags"] = Strings(nodeBalancer.Tags),
        ["transfer"] = new JsonObject
        {
            ["in"] = nodeBalancer.TransferIn,
            ["out"] = nodeBalancer.TransferOut,
            ["total"] = nodeBalancer.TransferIn is null && nodeBalancer.TransferOut is null
                ? null
                : (nodeBalancer.TransferIn ?? 0) + (nodeBalancer.TransferOut ?? 0),
        },
    };

    public static JsonObject Config(NodeBalancerConfig config, IReadOnlyList<NodeBalancerNode> nodes) => new()
    {
        ["id"] = config.Id,
        ["nodebalancer_id"] = config.NodeBalancerId,
        ["port"] = config.Port,
        ["protocol"] = config.Protocol,
        ["algorithm"] = config.Algorithm,
        ["stickiness"] = config.Stickiness,
        ["check"] = config.Check,
        ["check_interval"] = config.CheckInterval,
        ["check_timeout"] = config.CheckTimeout,
        ["check_attempts"] = config.CheckAttempts,
        ["check_path"] = config.CheckPath,
        ["check_body"] = config.CheckBody,
        ["check_passive"] = config.CheckPassive,
        ["cipher_suite"] = config.CipherSuite,
        ["proxy_protocol"] = config.ProxyProtocol,
        // The spec types these as non-nullable strings; without a certificate they are empty.
        ["ssl_commonname"] = config.SslCommonName ?? "",
        ["ssl_fingerprint"] = config.SslFingerprint ?? "",
        // The API never returns key material, only this marker.
        ["ssl_cert"] = config.Protocol == "https" ? "<REDACTED>" : null,
        ["ssl_key"] = config.Protocol == "https" ? "<REDACTED>" : null,
        ["nodes_status"] = new JsonObject
        {
            ["up"] = nodes.Count(n => n.Status == "UP"),
            ["down"] = nodes.Count(n => n.Status != "UP"),
        },
    };

    public static JsonObject Node(NodeBalancerNode node) => new()
    {
        ["id"] = node.Id,
        ["config_id"] = node.ConfigId,
        ["nodebalancer_id"] = node.NodeBalancerId,
        ["address"] = node.Address,
        ["label"] = node.Label,
        ["status"] = node.Status,
        ["weight"] = node.Weight,
        ["mode"] = node.Mode,
    };

    public static JsonObject Region(LinodeRegion region) => new()
    {
        ["id"] = region.Id,
        ["label"] = region.Label,
        ["country"] = region.Country,
        ["capabilities"] = Strings(region.Capabilities),
        ["status"] = region.Status,
        ["site-type"] = region.SiteType,
        ["resolvers"] = new JsonObject { ["ipv4"] = region.ResolversIpv4, ["ipv6"] = region.ResolversIpv6 },
    };

    /// <summary>The <c>{"errors":[{"field":…,"reason":…}]}</c> body; <c>field</c> only when one field is at fault.</summary>
    public static JsonObject Errors(string reason, string? field = null)
    {
        var error = new JsonObject();
        if (field is not null)
        {
            error["field"] = field;
        }

        error["reason"] = reason;
        return new JsonObject { ["errors"] = new JsonArray(error) };
    }

    public static JsonObject Notification(AccountNotification notification) => new()
    {
        ["body"] = null,
        ["entity"] = new JsonObject
        {
            // A number for most entities; a region's id is its name (what the live API sends).
            ["id"] = notification.EntityId is null ? null
                : long.TryParse(notification.EntityId, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number
                : notification.EntityId,
            ["label"] = notification.EntityLabel,
            ["type"] = notification.EntityType,
            ["url"] = EntityUrl(notification.EntityType, notification.EntityId),
        },
        ["label"] = notification.Label,
        ["message"] = notification.Message ?? notification.Label,
        ["severity"] = notification.Severity,
        ["type"] = notification.Type,
        ["until"] = notification.Until is { } until ? Time(until) : null,
        ["when"] = notification.When is { } when ? Time(when) : null,
    };

    public static JsonObject Event(AccountEvent accountEvent) => new()
    {
        ["action"] = accountEvent.Action,
        ["created"] = Time(accountEvent.Created),
        ["duration"] = accountEvent.Duration,
        ["entity"] = new JsonObject
        {
            ["id"] = accountEvent.EntityId,
            ["label"] = accountEvent.EntityLabel,
            ["type"] = accountEvent.EntityType,
            ["url"] = EntityUrl(accountEvent.EntityType, accountEvent.EntityId?.ToString(CultureInfo.InvariantCulture)),
        },
        ["id"] = accountEvent.Id,
        ["message"] = null,
        ["percent_complete"] = accountEvent.Status == "finished" ? 100 : null,
        // "rate" and "secondary_entity" only for the actions that have them (migrations, boots), which the lab does not record.
        ["read"] = false,
        ["seen"] = false,
        ["status"] = accountEvent.Status,
        ["time_remaining"] = null,
        ["username"] = accountEvent.Username,
    };

    private static string? EntityUrl(string type, string? id) => (type, id) switch
    {
        (_, null) => null,
        ("region", _) => $"/v4/regions/{id}",
        ("nodebalancer", _) => $"/v4/nodebalancers/{id}",
        ("lkecluster", _) => $"/v4/lke/clusters/{id}",
        ("linode", _) => $"/v4/linode/instances/{id}",
        _ => null,
    };

    // The API writes timestamps in UTC without an offset, e.g. "2018-01-01T00:01:01".
    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)v).ToArray());
}
