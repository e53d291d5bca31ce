using System.Net.Sockets;
using System.Security.Authentication;
using Synthetics.Results;

namespace Synthetics.Probes;

/// <summary>
/// Turns what the socket, TLS and HTTP layers reported into the outcome vocabulary, using the phase the failure
/// happened in. Messages are built from error codes and phases, never from response content, credentials or exception
/// type names. One classification per failure, whichever probe met it and however deep the HTTP stack wrapped it: a
/// rejected certificate is <c>tls_failure</c>, an answer that breaks the protocol is <c>unexpected_body</c>, and refused,
/// reset, timeout and dns_failure are found anywhere in the exception chain.
/// </summary>
internal static class OutcomeClassifier
{
    public static ProbeObservation Classify(Exception exception, ProbePhase? phase)
    {
        var where = phase is { } p ? $" during {Describe(p)}" : "";

        if (Find<CertificateRejectedException>(exception) is { } rejected)
        {
            return new(ProbeOutcome.TlsFailure) { Message = $"TLS certificate rejected: {rejected.Message}" };
        }

        if (Find<UnexpectedAnswerException>(exception) is { } unexpected)
        {
            return new(ProbeOutcome.UnexpectedBody) { Message = unexpected.Message };
        }

        if (Find<System.Text.Json.JsonException>(exception) is not null)
        {
            return new(ProbeOutcome.UnexpectedBody) { Message = $"the answer is not the JSON the protocol requires (truncated or garbage){where}" };
        }

        if (Find<SocketException>(exception) is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => new(ProbeOutcome.Refused) { Message = $"connection refused{where}" },
                SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown or SocketError.Disconnecting =>
                    new(ProbeOutcome.Reset) { Message = $"connection reset by peer{where}" },
                SocketError.TimedOut => new(ProbeOutcome.Timeout) { Message = $"operating system timed out{where}" },
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain =>
                    new(ProbeOutcome.DnsFailure) { Message = $"name did not resolve ({socket.SocketErrorCode})" },
                _ => new(ProbeOutcome.Error) { Message = $"socket error {socket.SocketErrorCode}{where}" },
            };
        }

        if (exception is HttpRequestException http)
        {
            return http.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => new(ProbeOutcome.DnsFailure) { Message = "name did not resolve" },
                HttpRequestError.ResponseEnded => new(ProbeOutcome.Reset) { Message = $"connection closed before the response was complete{where}" },
                HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError =>
                    new(ProbeOutcome.Error) { Message = $"answer is not valid HTTP{where}" },
                HttpRequestError.ConfigurationLimitExceeded => new(ProbeOutcome.Error) { Message = $"response headers exceed the limit{where}" },
                // A peer that hangs up mid-handshake is a reset, as the tls probe reports it, not a TLS failure.
                HttpRequestError.SecureConnectionError when Find<AuthenticationException>(http) is { InnerException: IOException or EndOfStreamException }
                    || (Find<AuthenticationException>(http) is null && Find<IOException>(http) is not null) =>
                    new(ProbeOutcome.Reset) { Message = $"connection closed by peer during TLS handshake" },
                HttpRequestError.SecureConnectionError => new(ProbeOutcome.TlsFailure) { Message = "TLS handshake failed" },
                _ => Fallback(http.InnerException ?? http, where),
            };
        }

        if (Find<AuthenticationException>(exception) is { } authentication)
        {
            // A peer that closes during the handshake looks like an authentication failure wrapping an EOF.
            if (authentication.InnerException is IOException or EndOfStreamException)
            {
                return new(ProbeOutcome.Reset) { Message = $"connection closed by peer{where}" };
            }

            return new(ProbeOutcome.TlsFailure) { Message = $"TLS handshake failed{where}" };
        }

        return Fallback(exception, where);
    }

    public static ProbeObservation Timeout(TimeSpan timeout, ProbePhase? phase, bool cycleBudget) => new(ProbeOutcome.Timeout)
    {
        Message = cycleBudget
            ? $"cut by the cycle budget{(phase is { } p ? $" during {Describe(p)}" : "")}"
            : $"no answer within {timeout.TotalSeconds:0.###} s{(phase is { } q ? $" during {Describe(q)}" : "")}",
    };

    private static ProbeObservation Fallback(Exception exception, string where) => exception switch
    {
        IOException or EndOfStreamException => new(ProbeOutcome.Reset) { Message = $"connection closed by peer{where}" },
        TimeoutException => new(ProbeOutcome.Timeout) { Message = $"timed out{where}" },
        // Not a known network, TLS or protocol failure: the type goes to the debug log (the cycle runner), not the result.
        _ => new(ProbeOutcome.Error) { Message = $"failed{where} in a way the monitor does not classify (see the debug log)" },
    };

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }

    internal static string Describe(ProbePhase phase) => phase switch
    {
        ProbePhase.Dns => "DNS resolution",
        ProbePhase.Connect => "TCP connect",
        ProbePhase.Tls => "TLS handshake",
        ProbePhase.Ttfb => "wait for first byte",
        ProbePhase.Transfer => "body transfer",
        _ => phase.ToString(),
    };
}
