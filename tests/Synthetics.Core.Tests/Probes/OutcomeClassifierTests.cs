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
    public void Classify_UnknownException_IsErrorNamingThePhaseNeverTheType()
    {
        var observation = OutcomeClassifier.Classify(new InvalidDataException("secret content here"), ProbePhase.Transfer);

        Assert.Equal(ProbeOutcome.Error, observation.Outcome);
        Assert.Contains("during body transfer", observation.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", observation.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", observation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_CertificateRejectedWrappedByHttpClient_IsTlsFailure()
    {
        // SocketsHttpHandler wraps what its connect callback throws: kube-health met it this way.
        var exception = new HttpRequestException(HttpRequestError.ConnectionError, "x",
            new CertificateRejectedException("certificate not issued by a trusted CA", new System.Security.Authentication.AuthenticationException("y")));

        var observation = OutcomeClassifier.Classify(exception, ProbePhase.Tls);

        Assert.Equal(ProbeOutcome.TlsFailure, observation.Outcome);
        Assert.Equal("TLS certificate rejected: certificate not issued by a trusted CA", observation.Message);
    }

    [Fact]
    public void Classify_UnexpectedAnswer_IsUnexpectedBodyWithItsMessage()
    {
        var observation = OutcomeClassifier.Classify(new UnexpectedAnswerException("GET /x answered 200 with an empty body"), phase: null);

        Assert.Equal(ProbeOutcome.UnexpectedBody, observation.Outcome);
        Assert.Equal("GET /x answered 200 with an empty body", observation.Message);
    }

    [Fact]
    public void Classify_TruncatedJson_IsUnexpectedBodyWithoutTypeName()
    {
        var observation = OutcomeClassifier.Classify(new System.Text.Json.JsonException("'<' is an invalid start of a value"), phase: null);

        Assert.Equal(ProbeOutcome.UnexpectedBody, observation.Outcome);
        Assert.DoesNotContain("Exception", observation.Message, StringComparison.Ordinal);
    }
}
