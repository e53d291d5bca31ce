using System.Globalization;
using System.Net;
using System.Text.Json;
using Synthetics.Linode;
using Synthetics.Targets;

namespace Synthetics.Discovery;

/// <summary>
/// Reads the user's estate from the Linode API and turns it into targets: each LKE cluster (its API endpoint, region,
/// tags, high availability and control-plane ACL) becomes a <c>KubernetesApi</c> target; each NodeBalancer port a
/// <c>Tcp</c> target, or an <c>Http</c> one when the NodeBalancer itself checks an HTTP path there (that path is what
/// is requested). UDP ports are skipped (nothing to connect to), and so are HTTPS ports' HTTP checks: the address has no
/// certificate of its own, so they are probed as TCP. An optional tag filter keeps what carries one of the tags. Never
/// throws for what the API does: a refusal, a failure or garbage is a failed <see cref="DiscoveryResult"/> with one line.
/// </summary>
internal sealed class LinodeDiscoverer
{
    private const string LkeScope = "lke:read_only";
    private const string NodeBalancerScope = "nodebalancers:read_only";

    private readonly LinodeApiClient _api;
    private readonly IReadOnlyList<string> _tags;
    private readonly TimeProvider _time;

    public LinodeDiscoverer(LinodeApiClient api, IReadOnlyList<string> tags, TimeProvider time)
    {
        _api = api;
        _tags = [.. tags.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim())];
        _time = time;
    }

    /// <summary>
    /// A discoverer with the settings' token, API URL and tag filter, on a client from <paramref name="httpClients"/>.
    /// Call only with discovery on (<see cref="LinodeOptions.IsEnabled"/>).
    /// </summary>
    /// <exception cref="Linode.LinodeApiException">The token or the API URL cannot be used (one line, the token not quoted).</exception>
    public static LinodeDiscoverer Create(IHttpClientFactory httpClients, Configuration.SyntheticsOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(httpClients);
        ArgumentNullException.ThrowIfNull(options);
        var client = new LinodeApiClient(httpClients.CreateClient(nameof(LinodeApiClient)), options.Linode, time, options.VantagePoint);
        return new LinodeDiscoverer(client, options.Discovery.Tags, time);
    }

    /// <summary>Reads clusters and NodeBalancers to the last page; the host's cancellation propagates, everything else is a result.</summary>
    public async Task<DiscoveryResult> DiscoverAsync(CancellationToken cancellationToken)
    {
        try
        {
            var now = _time.GetUtcNow();
            var notes = new List<string>();
            var targets = new List<DiscoveredTarget>();
            var filter = TagFilter();

            var clusters = (await _api.ListAsync<LkeClusterItem>("lke/clusters", LkeScope, filter, cancellationToken))
                .Where(c => Selected(c.Tags)).ToArray();
            foreach (var cluster in clusters)
            {
                if (await ClusterTargetAsync(cluster, now, cancellationToken) is { } target)
                {
                    targets.Add(target);
                }
                else
                {
                    notes.Add($"LKE cluster {cluster.Id} '{cluster.Label}' has no API endpoint yet; not monitored until it has one");
                }
            }

            var nodeBalancers = (await _api.ListAsync<NodeBalancerItem>("nodebalancers", NodeBalancerScope, filter, cancellationToken))
                .Where(n => Selected(n.Tags)).ToArray();
            foreach (var nodeBalancer in nodeBalancers)
            {
                var configs = await _api.ListAsync<NodeBalancerConfigItem>(
                    $"nodebalancers/{Id(nodeBalancer.Id)}/configs", NodeBalancerScope, null, cancellationToken);
                foreach (var config in configs)
                {
                    if (NodeBalancerTarget(nodeBalancer, config, now) is { } target)
                    {
                        targets.Add(target);
                    }
                    else
                    {
                        notes.Add($"NodeBalancer {nodeBalancer.Id} '{nodeBalancer.Label}' port {config.Port} ({config.Protocol}) is not monitored: nothing to connect to");
                    }
                }
            }

            return new DiscoveryResult(UniqueNames(targets), clusters.Length, nodeBalancers.Length, null) { Notes = notes };
        }
        catch (LinodeApiException ex)
        {
            return DiscoveryResult.Failed(ex.Message, ex.StatusCode);
        }
    }

    private async Task<DiscoveredTarget?> ClusterTargetAsync(LkeClusterItem cluster, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var endpoints = await _api.ListAsync<LkeApiEndpoint>($"lke/clusters/{Id(cluster.Id)}/api-endpoints", LkeScope, null, cancellationToken);
        var urls = endpoints
            .Select(e => Uri.TryCreate(e.Endpoint, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps ? url : null)
            .OfType<Uri>()
            .ToArray();
        if (urls.Length == 0)
        {
            return null;
        }

        // The kubeconfig names the host name endpoint; an address endpoint is the fallback.
        var endpoint = urls.FirstOrDefault(u => u.HostNameType == UriHostNameType.Dns) ?? urls[0];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["linodeSource"] = "lke",
            ["clusterId"] = Id(cluster.Id),
            ["cluster"] = cluster.Label,
            ["highAvailability"] = (cluster.ControlPlane?.HighAvailability ?? false) ? "true" : "false",
            ["endpoint"] = endpoint.GetLeftPart(UriPartial.Authority),
        };
        AddDependencies(labels, nameof(TargetKind.KubernetesApi), cluster.Region);
        AddTags(labels, cluster.Tags);
        if (cluster.K8sVersion is { Length: > 0 } version)
        {
            labels["k8sVersion"] = version;
        }

        if ((cluster.ControlPlane?.Acl ?? await AclAsync(cluster.Id, cancellationToken)) is { } acl)
        {
            labels["aclEnabled"] = acl.Enabled == true ? "true" : "false";
            labels["aclAddresses"] = ((acl.Addresses?.Ipv4?.Count ?? 0) + (acl.Addresses?.Ipv6?.Count ?? 0)).ToString(CultureInfo.InvariantCulture);
        }

        return new DiscoveredTarget
        {
            Key = $"lke-{Id(cluster.Id)}",
            Name = $"{cluster.Label}-api",
            Kind = nameof(TargetKind.KubernetesApi),
            Region = cluster.Region,
            Url = endpoint.GetLeftPart(UriPartial.Authority),
            ClusterId = cluster.Id,
            Labels = labels,
            LastSeen = now,
        };
    }

    /// <summary>The cluster's control-plane ACL, or null where the API has none for it (400: not supported; 403, 404).</summary>
    private async Task<LkeAcl?> AclAsync(long clusterId, CancellationToken cancellationToken)
    {
        try
        {
            return (await _api.GetAsync<LkeAclAnswer>($"lke/clusters/{Id(clusterId)}/control_plane_acl", LkeScope, null, cancellationToken)).Acl;
        }
        catch (LinodeApiException ex) when (ex.StatusCode is 400 or 403 or 404)
        {
            // "Control plane ACLs may not currently be available to all users" (spec): not having one is no failure.
            return null;
        }
    }

    private static DiscoveredTarget? NodeBalancerTarget(NodeBalancerItem nodeBalancer, NodeBalancerConfigItem config, DateTimeOffset now)
    {
        var protocol = config.Protocol.ToLowerInvariant();
        // The address, not the *.ip.linodeusercontent.com name: the monitor should not depend on a lookup the users' own
        // name does not make.
        var host = nodeBalancer.Ipv4 is { Length: > 0 } ipv4 ? ipv4 : nodeBalancer.Hostname;
        if (protocol == "udp" || string.IsNullOrWhiteSpace(host) || config.Port is < 1 or > 65535)
        {
            return null;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["linodeSource"] = "nodebalancer",
            ["nodeBalancerId"] = Id(nodeBalancer.Id),
            ["nodeBalancer"] = nodeBalancer.Label,
            ["configId"] = Id(config.Id),
            ["protocol"] = protocol,
        };
        AddTags(labels, nodeBalancer.Tags);
        AddDependencies(labels, protocol == "http" ? nameof(TargetKind.Http) : nameof(TargetKind.Tcp), nodeBalancer.Region);
        var key = $"nodebalancer-{Id(nodeBalancer.Id)}-config-{Id(config.Id)}";
        var name = $"{nodeBalancer.Label}-{config.Port.ToString(CultureInfo.InvariantCulture)}";
        var checksPath = protocol == "http" && config.Check is "http" or "http_body" && config.CheckPath is { Length: > 0 };
        if (checksPath)
        {
            var path = config.CheckPath!.StartsWith('/') ? config.CheckPath : "/" + config.CheckPath;
            var authority = IPAddress.TryParse(host, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? $"[{host}]"
                : host;
            return new DiscoveredTarget
            {
                Key = key,
                Name = name,
                Kind = nameof(TargetKind.Http),
                Region = nodeBalancer.Region,
                Url = $"http://{authority}:{config.Port.ToString(CultureInfo.InvariantCulture)}{path}",
                Labels = labels,
                LastSeen = now,
            };
        }

        return new DiscoveredTarget
        {
            Key = key,
            Name = name,
            Kind = nameof(TargetKind.Tcp),
            Region = nodeBalancer.Region,
            Host = host,
            Port = config.Port,
            Labels = labels,
            LastSeen = now,
        };
    }

    private bool Selected(IReadOnlyList<string>? tags) =>
        _tags.Count == 0 || (tags ?? []).Any(t => _tags.Contains(t, StringComparer.OrdinalIgnoreCase));

    /// <summary>The X-Filter of the tag filter (the API filters lists by tag; the client filters again, whatever it did).</summary>
    private string? TagFilter() => _tags.Count switch
    {
        0 => null,
        1 => JsonSerializer.Serialize(new Dictionary<string, string> { ["tags"] = _tags[0] }),
        _ => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["+or"] = _tags.Select(t => new Dictionary<string, string> { ["tags"] = t }).ToArray(),
        }),
    };

    /// <summary>The provider's status components the target depends on (<see cref="DependencyMap"/>), in label <c>dependsOn</c>.</summary>
    private static void AddDependencies(Dictionary<string, string> labels, string kind, string region)
    {
        if (DependencyMap.ComponentsOf(kind, region) is { Count: > 0 } components)
        {
            labels["dependsOn"] = string.Join("; ", components);
        }
    }

    private static void AddTags(Dictionary<string, string> labels, IReadOnlyList<string>? tags)
    {
        if (tags is { Count: > 0 })
        {
            labels["tags"] = string.Join(",", tags);
        }
    }

    /// <summary>Names are unique in a catalog: a second target of the same name takes its entity's key as a suffix.</summary>
    private static List<DiscoveredTarget> UniqueNames(List<DiscoveredTarget> targets)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var unique = new List<DiscoveredTarget>(targets.Count);
        foreach (var target in targets)
        {
            unique.Add(names.Add(target.Name) ? target : target with { Name = $"{target.Name}-{target.Key}" });
        }

        return unique;
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
