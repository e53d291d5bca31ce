using Synthetics.Lab.LinodeApi;
using LinodeNodeBalancer = Synthetics.Lab.LinodeApi.NodeBalancer;

namespace Synthetics.Lab.Region;

public sealed partial class LabRegion
{
    private const long FirstNodeBalancerId = 880101;
    private const long FirstConfigId = 120101;
    private const long FirstNodeId = 330101;

    /// <summary>
    /// Fills the Linode API with what a customer sees: the regions, both clusters (kubeconfig and api-endpoints pointing
    /// at the control-plane NodeBalancer as seen from the first vantage, the lab's "public" address) and every
    /// NodeBalancer with one TCP config and its nodes.
    /// </summary>
    private void DescribeInLinodeApi(DateTimeOffset now)
    {
        var model = LinodeApi.Model;
        model.UpsertRegion(new LinodeRegion { Id = CaCentral, Label = "Toronto, CA", Country = "ca" });
        model.UpsertRegion(new LinodeRegion { Id = UsEast, Label = "Newark, NJ", Country = "us" });

        var home = Vantages[0];
        foreach (var cluster in _clusters)
        {
            model.UpsertCluster(new LkeCluster
            {
                Id = cluster.Id,
                Label = cluster.Label,
                Region = cluster.LinodeRegion,
                Created = now,
                Updated = now,
                Tags = ["lab", cluster.LinodeRegion],
                // ca-central's control plane is the production one: highly available, behind an ACL that admits the
                // lab's loopback clients; us-east's has neither (its ACL answers 400, as for clusters without one).
                HighAvailability = cluster.LinodeRegion == CaCentral,
                Acl = cluster.LinodeRegion == CaCentral ? new LkeControlPlaneAcl { Ipv4 = ["127.0.0.0/8"] } : null,
                KubeconfigYaml = cluster.CreateKubeconfig(home),
                ApiEndpoints = [cluster.GetServerUrl(home).GetLeftPart(UriPartial.Authority)],
            });
        }

        var nodeBalancerId = FirstNodeBalancerId;
        var configId = FirstConfigId;
        var nodeId = FirstNodeId;
        foreach (var (label, nodeBalancer) in _nodeBalancers)
        {
            var cluster = _clusters.FirstOrDefault(c => c.NodeBalancer == nodeBalancer);
            var endpoint = nodeBalancer.GetEndpoint(home);
            model.UpsertNodeBalancer(new LinodeNodeBalancer
            {
                Id = nodeBalancerId,
                Label = label,
                Region = cluster?.LinodeRegion ?? CaCentral,
                Ipv4 = endpoint.Address.ToString(),
                Created = now,
                Updated = now,
                Tags = cluster is null ? ["lab", "web", CaCentral] : ["lab", $"lke{cluster.Id}", cluster.LinodeRegion],
            });
            model.UpsertConfig(new NodeBalancerConfig { Id = configId, NodeBalancerId = nodeBalancerId, Port = endpoint.Port });
            var backends = nodeBalancer.Backends;
            for (var i = 0; i < backends.Count; i++)
            {
                model.UpsertNode(new NodeBalancerNode
                {
                    Id = nodeId,
                    ConfigId = configId,
                    NodeBalancerId = nodeBalancerId,
                    Address = backends[i].Endpoint.ToString(),
                    Label = cluster is null ? WebBackends.Names[i] : $"{cluster.Label}-apiserver",
                });
                if (cluster is null)
                {
                    _webNodeIds.Add(nodeId);
                }

                nodeId++;
            }

            nodeBalancerId++;
            configId++;
        }
    }
}
