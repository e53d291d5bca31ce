using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Synthetics.Lab.Faults;
using Synthetics.Lab.NodeBalancers;

namespace Synthetics.Lab.Tests.NodeBalancers;

[Collection(LoopbackTests.Name)]
public sealed class NodeBalancerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private static NodeBalancer Create(IReadOnlyList<IPEndPoint> backends, params string[] vantages) => new(new NodeBalancerOptions
    {
        Name = "lke-test-cp",
        Vantages = vantages.Length == 0 ? ["eu-west"] : vantages,
        Backends = backends,
        Seed = 42,
    });

    [Fact]
    public async Task Forward_PlainConnection_PassesBytesBothWaysUnchanged()
    {
        await using var backend = new EchoBackend();
        await using var nodeBalancer = Create([backend.Endpoint]);
        var payload = RandomNumberGenerator.GetBytes(256 * 1024);

        using var client = await LoopbackClient.ConnectAsync(nodeBalancer.GetEndpoint("eu-west"));
        var send = client.SendAsync(payload, SocketFlags.None);
        var received = new byte[payload.Length];
        var total = 0;
        while (total < received.Length)
        {
            var read = await client.ReceiveAsync(received.AsMemory(total), SocketFlags.None);
            Assert.NotEqual(0, read);
            total += read;
        }

        await send;
        Assert.Equal(payload, received);

        // The client's FIN travels through; the backend's answering FIN comes back.
        client.Shutdown(SocketShutdown.Send);
        using var end = new CancellationTokenSource(Patience);
        Assert.Equal(ProbeOutcome.Closed, await LoopbackClient.WaitForEndAsync(client, end.Token));
        Assert.Equal(1, nodeBalancer.GetStatistics().Vantages["eu-west"].Forwarded);
    }

    [Fact]
    public async Task GetEndpoint_SeveralVantages_EachHasItsOwnLoopbackPort()
    {
        await using var nodeBalancer = Create([new IPEndPoint(IPAddress.Loopback, 9)], "eu-west", "us-east-azure", "asia");

        var endpoints = nodeBalancer.Vantages.Select(nodeBalancer.GetEndpoint).ToList();

        Assert.All(endpoints, endpoint => Assert.Equal(IPAddress.Loopback, endpoint.Address));
        Assert.Equal(3, endpoints.Select(endpoint => endpoint.Port).Distinct().Count());
        Assert.Throws<KeyNotFoundException>(() => nodeBalancer.GetEndpoint("mars"));
    }

    [Fact]
    public async Task SetFaultPlan_OneVantage_OtherVantageUntouched()
    {
        await using var backend = new EchoBackend();
        await using var nodeBalancer = Create([backend.Endpoint], "eu-west", "asia");
        nodeBalancer.SetFaultPlan(new FaultPlan { ResetShare = 1 }, "asia");

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(ProbeOutcome.Reset, await LoopbackClient.ProbeAsync(nodeBalancer.GetEndpoint("asia"), Patience));
            Assert.Equal(ProbeOutcome.Forwarded, await LoopbackClient.ProbeAsync(nodeBalancer.GetEndpoint("eu-west"), Patience));
        }

        var statistics = nodeBalancer.GetStatistics();
        Assert.Equal(10, statistics.Vantages["asia"].Reset);
        Assert.Equal(0, statistics.Vantages["asia"].Forwarded);
        Assert.Equal(10, statistics.Vantages["eu-west"].Forwarded);
        Assert.Equal(0, statistics.Vantages["eu-west"].Reset);
        Assert.Equal(FaultPlan.None, nodeBalancer.GetEffectiveFaultPlan("eu-west"));

        nodeBalancer.ClearFaults("asia");
        Assert.Equal(ProbeOutcome.Forwarded, await LoopbackClient.ProbeAsync(nodeBalancer.GetEndpoint("asia"), Patience));
    }

    [Fact]
    public async Task SetFaultPlan_Blackhole_ConnectionGetsNothingUntilClientGivesUp()
    {
        await using var backend = new EchoBackend();
        await using var nodeBalancer = Create([backend.Endpoint], "eu-west", "asia");
        nodeBalancer.SetFaultPlan(new FaultPlan { Blackhole = true }, "asia");

        var outcome = await LoopbackClient.ProbeAsync(nodeBalancer.GetEndpoint("asia"), TimeSpan.FromMilliseconds(300));

        // The client gave up on its own deadline with nothing back; when it did is the client's clock, not the lab's.
        Assert.Equal(ProbeOutcome.TimedOut, outcome);
        Assert.Equal(1, nodeBalancer.GetStatistics().Vantages["asia"].Blackholed);
        Assert.Equal(ProbeOutcome.Forwarded, await LoopbackClient.ProbeAsync(nodeBalancer.GetEndpoint("eu-west"), Patience));
    }

    [Fact]
    public async Task SetBackendUp_BackendDown_RoundRobinSkipsIt()
    {
        await using var first = new EchoBackend(greeting: 0);
        await using var second = new EchoBackend(greeting: 1);
        await using var third = new EchoBackend(greeting: 2);
        await using var nodeBalancer = Create([first.Endpoint, second.Endpoint, third.Endpoint]);

        Assert.Equal([0, 1, 2, 0, 1, 2], await GreetingsAsync(nodeBalancer, 6));

        nodeBalancer.SetBackendUp(1, isUp: false);
        Assert.False(nodeBalancer.Backends[1].IsUp);
        Assert.Equal([0, 2, 0, 2, 0, 2], await GreetingsAsync(nodeBalancer, 6));

        nodeBalancer.SetBackendUp(1, isUp: true);
        Assert.Contains((byte)1, await GreetingsAsync(nodeBalancer, 3));
    }

    [Fact]
    public async Task SetBackendUp_AllDown_ConnectionAcceptedThenReset()
    {
        await using var backend = new EchoBackend();
        await using var nodeBalancer = Create([backend.Endpoint]);
        nodeBalancer.SetBackendUp(0, isUp: false);

        var outcome = await LoopbackClient.ProbeAsync(nodeBalancer.GetEndpoint("eu-west"), Patience);

        Assert.Equal(ProbeOutcome.Reset, outcome);
        Assert.Equal(1, nodeBalancer.GetStatistics().Total.NoBackend);
    }

    [Fact]
    public async Task Forward_BackendRefusesButMarkedUp_PassedOver()
    {
        await using var alive = new EchoBackend(greeting: 7);
        var refusing = await FreePortAsync();
        await using var nodeBalancer = Create([refusing, alive.Endpoint]);

        Assert.Equal([7, 7, 7, 7], await GreetingsAsync(nodeBalancer, 4));
    }

    [Fact]
    public async Task SetFaultPlan_Invalid_ThrowsNamingField()
    {
        await using var nodeBalancer = Create([new IPEndPoint(IPAddress.Loopback, 9)]);

        var error = Assert.Throws<ArgumentException>(() => nodeBalancer.SetFaultPlan(new FaultPlan { StallShare = 0.9, ResetShare = 0.2 }));

        Assert.Contains("resetShare", error.Message, StringComparison.Ordinal);
        Assert.Equal(FaultPlan.None, nodeBalancer.FaultPlan);
    }

    private static async Task<List<byte>> GreetingsAsync(NodeBalancer nodeBalancer, int count)
    {
        var greetings = new List<byte>();
        for (var i = 0; i < count; i++)
        {
            using var client = await LoopbackClient.ConnectAsync(nodeBalancer.GetEndpoint(nodeBalancer.Vantages[0]));
            var buffer = new byte[1];
            using var timeout = new CancellationTokenSource(Patience);
            Assert.Equal(1, await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token));
            greetings.Add(buffer[0]);
        }

        return greetings;
    }

    /// <summary>A loopback port nobody listens on: bound, then released.</summary>
    private static Task<IPEndPoint> FreePortAsync()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return Task.FromResult((IPEndPoint)socket.LocalEndPoint!);
    }
}
