using System.Net.Sockets;
using Synthetics.Probes;
using Synthetics.Results;

namespace Synthetics.Core.Tests.Probes;

public sealed class OutcomeClassifierTests
{
    [Theory]
    [InlineData(SocketError.ConnectionRefused, ProbeOutcome.Refused)]
    [InlineData(SocketError.ConnectionReset, ProbeOutcome.Reset)]
    [InlineData(SocketError.TimedOut, ProbeOutcome.Timeout)]
    [InlineData(SocketError.HostNotFound, ProbeOutcome.DnsFailure)]
    [InlineData(SocketError.TryAgain, ProbeOutcome.DnsFailure)]
    [InlineData(SocketError.NetworkUnreachable, ProbeOutcome.Error)]
    public void Classify_SocketErrorWrappedByHttpAndIo_MapsToOutcome(SocketError error, ProbeOutcome expected)
    {
        var exception = new HttpRequestException("x", new IOException("y", new SocketException((int)error)));

        Assert.Equal(expected, OutcomeClassifier.Classify(exception, ProbePhase.Connect).Outcome);
    }

    [Fact]
    public void Classify_UnknownException_IsErrorNamingTypeAndPhase()
    {
        var observation = OutcomeClassifier.Classify(new InvalidDataException("secret content here"), ProbePhase.Transfer);

        Assert.Equal(ProbeOutcome.Error, observation.Outcome);
        Assert.Equal("InvalidDataException during body transfer", observation.Message);
    }
}
