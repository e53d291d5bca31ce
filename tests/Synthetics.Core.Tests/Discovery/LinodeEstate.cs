using Synthetics.Lab.LinodeApi;

namespace Synthetics.Core.Tests.Discovery;

/// <summary>
/// A started lab Linode API (real HTTP on 127.0.0.1, an OS-assigned port) describing a small estate: two LKE clusters
/// (ca-central highly available with an ACL, us-east without) and NodeBalancers with a TCP, an HTTP-checked and a UDP port.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "disposed through IAsyncLifetime")]
public sealed class LinodeEstate : IAsyncLifetime
{
    public const string Token = "lab-linode-token-0123456789abcdef";

    public LinodeEstate()
    {
        var model = new LinodeApiModel();
        model.UpsertCluster(new LkeCluster
        {
            Id = 1001, Label = "ca-prod", Region = "ca-central", HighAvailability = true, Tags = ["prod", "ca"],
            ApiEndpoints = ["https://192.0.2.10:6443", "https://1001.ca-central-1.linodelke.net:443"],
            Acl = new LkeControlPlaneAcl { Ipv4 = ["203.0.113.0/24", "198.51.100.7"] },
        });
        model.UpsertCluster(new LkeCluster
        {
            Id = 1002, Label = "us-dev", Region = "us-east", Tags = ["dev"], ApiEndpoints = ["https://192.0.2.20:443"],
        });
        model.UpsertNodeBalancer(new NodeBalancer { Id = 2001, Label = "ca-web", Region = "ca-central", Ipv4 = "192.0.2.30", Tags = ["prod"] });
        model.UpsertConfig(new NodeBalancerConfig { Id = 3001, NodeBalancerId = 2001, Port = 443, Protocol = "tcp" });
        model.UpsertConfig(new NodeBalancerConfig { Id = 3002, NodeBalancerId = 2001, Port = 80, Protocol = "http", Check = "http", CheckPath = "/healthz" });
        model.UpsertConfig(new NodeBalancerConfig { Id = 3003, NodeBalancerId = 2001, Port = 53, Protocol = "udp" });
        model.UpsertNodeBalancer(new NodeBalancer { Id = 2002, Label = "us-db", Region = "us-east", Ipv4 = "192.0.2.40", Tags = ["dev"] });
        model.UpsertConfig(new NodeBalancerConfig { Id = 3004, NodeBalancerId = 2002, Port = 5432, Protocol = "tcp" });
        Server = new LinodeApiServer(model, Token);
    }

    public LinodeApiServer Server { get; }

    public LinodeApiModel Model => Server.Model;

    /// <summary>The API root as <c>Synthetics:Linode:ApiUrl</c> takes it.</summary>
    public string ApiUrl => new Uri(Server.BaseAddress, "v4/").ToString();

    public Task InitializeAsync() => Server.StartAsync(CancellationToken.None);

    public Task DisposeAsync() => Server.DisposeAsync().AsTask();
}
