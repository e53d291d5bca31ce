using Synthetics.Lab.LinodeApi;

namespace Synthetics.Lab.Tests.LinodeApi;

/// <summary>A region's worth of Linode API data: 60 clusters (three pages of 25), one NodeBalancer with two ports.</summary>
internal static class LinodeApiSample
{
    public const string Token = "lab-token-0123456789";

    public const string KubeconfigYaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            certificate-authority-data: LS0tLS1CRUdJTi==
            server: https://127.0.0.1:6443
          name: lke1001
        users:
        - name: lke1001-admin
          user:
            token: not-a-real-token
        contexts:
        - context:
            cluster: lke1001
            user: lke1001-admin
          name: lke1001-ctx
        current-context: lke1001-ctx
        """;

    public static LinodeApiModel Create()
    {
        var created = new DateTimeOffset(2025, 3, 12, 8, 0, 0, TimeSpan.Zero);
        var model = new LinodeApiModel();
        model.UpsertRegion(new LinodeRegion { Id = "ca-central", Label = "Toronto, CA", Country = "ca" });
        model.UpsertRegion(new LinodeRegion { Id = "us-east", Label = "Newark, NJ", Country = "us", Status = "outage" });
        for (var i = 1; i <= 60; i++)
        {
            model.UpsertCluster(new LkeCluster
            {
                Id = 1000 + i,
                Label = $"lke-{i:D2}",
                Region = "ca-central",
                K8sVersion = "1.31",
                HighAvailability = i % 2 == 0,
                Created = created,
                Updated = created.AddDays(i),
                Tags = i == 3 ? ["prod", "ca"] : ["prod"],
                // One cluster behind a control-plane ACL, the others without (their ACL answers 400).
                Acl = i == 2 ? new LkeControlPlaneAcl { Ipv4 = ["203.0.113.1", "192.0.2.0/24"], Ipv6 = ["2001:db8:1234:abcd::/64"], RevisionId = "20240127r001" } : null,
                KubeconfigYaml = i == 1 ? KubeconfigYaml : "",
                ApiEndpoints = ["https://127.0.0.1:6443", "https://127.0.0.2:443"],
            });
        }

        model.UpsertNodeBalancer(new NodeBalancer
        {
            Id = 7001,
            Label = "ca-web",
            Region = "ca-central",
            Ipv4 = "127.0.0.10",
            ClientConnThrottle = 5,
            Created = created,
            Updated = created,
            Tags = ["web"],
            TransferIn = 12.5,
            TransferOut = 3.25,
        });
        model.UpsertConfig(new NodeBalancerConfig
        {
            Id = 8001,
            NodeBalancerId = 7001,
            Port = 443,
            Protocol = "https",
            Check = "http",
            CheckPath = "/healthz",
            SslCommonName = "ca-web.lab",
            SslFingerprint = "00:01:02",
        });
        model.UpsertConfig(new NodeBalancerConfig { Id = 8002, NodeBalancerId = 7001, Port = 5432 });
        model.UpsertNode(new NodeBalancerNode { Id = 9001, ConfigId = 8001, NodeBalancerId = 7001, Address = "127.0.0.20:8443", Label = "web-1" });
        model.UpsertNode(new NodeBalancerNode { Id = 9002, ConfigId = 8001, NodeBalancerId = 7001, Address = "127.0.0.21:8443", Label = "web-2", Status = "DOWN" });
        model.AddNotification(new AccountNotification
        {
            Type = "maintenance", Label = "Scheduled NodeBalancer maintenance", When = created.AddDays(1), Until = created.AddDays(1).AddHours(2),
            EntityType = "nodebalancer", EntityId = "7001", EntityLabel = "nb-7001",
        });
        model.AddEvent(new AccountEvent { Action = "nodebalancer_config_update", Created = created, Duration = 2, EntityType = "nodebalancer", EntityId = 7001, EntityLabel = "nb-7001" });
        return model;
    }
}
