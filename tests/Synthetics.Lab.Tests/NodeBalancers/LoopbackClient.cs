using System.Net;
using System.Net.Sockets;

namespace Synthetics.Lab.Tests.NodeBalancers;

/// <summary>Client-side helpers: connect, send one byte, and classify what comes back.</summary>
internal static class LoopbackClient
{
    public static async Task<Socket> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Connects, sends one byte, waits up to <paramref name="timeout"/> for one back. Only the outcome is returned: how
    /// long it took measures the machine, and the lab's delays are checked on a fake clock instead.
    /// </summary>
    public static async Task<ProbeOutcome> ProbeAsync(IPEndPoint endpoint, TimeSpan timeout)
    {
        using var giveUp = new CancellationTokenSource(timeout);
        var buffer = new byte[1];
        try
        {
            // A reset right after the accept can overtake the client's own view of the handshake, so even
            // the connect can report it.
            using var socket = await ConnectAsync(endpoint, giveUp.Token);
            await socket.SendAsync(new byte[] { 0x2A }, SocketFlags.None, giveUp.Token);
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, giveUp.Token);
            return read == 1 ? ProbeOutcome.Forwarded : ProbeOutcome.Closed;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return ProbeOutcome.Reset;
        }
        catch (OperationCanceledException)
        {
            return ProbeOutcome.TimedOut;
        }
    }

    /// <summary>Reads until the peer closes or resets; returns how it ended.</summary>
    public static async Task<ProbeOutcome> WaitForEndAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken) > 0)
            {
            }

            return ProbeOutcome.Closed;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return ProbeOutcome.Reset;
        }
        catch (OperationCanceledException)
        {
            return ProbeOutcome.TimedOut;
        }
    }
}
