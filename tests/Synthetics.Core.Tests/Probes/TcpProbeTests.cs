using Synthetics.Core.Tests.Support;
using Synthetics.Lab.Sockets;
using Synthetics.Results;

namespace Synthetics.Core.Tests.Probes;

public sealed class TcpProbeTests
{
    [Fact]
    public async Task Run_ListeningPort_IsOkWithConnectTimeOnly()
    {
        await using var server = ScriptedServer.Start((c, t) => c.StallAsync(t));

        var result = await ProbeHarness.RunAsync(ProbeHarness.PlainHttp(server.Port), "tcp");

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.NotNull(result.Phases.ConnectMs);
        Assert.Null(result.Phases.TlsMs);
        Assert.Null(result.Phases.TtfbMs);
        Assert.Equal("127.0.0.1", result.RemoteAddress);
    }

    [Fact]
    public async Task Run_ClosedPort_IsRefused()
    {
        var result = await ProbeHarness.RunAsync(ProbeHarness.PlainHttp(FreePort.Take()), "tcp");

        Assert.Equal(ProbeOutcome.Refused, result.Outcome);
    }
}
