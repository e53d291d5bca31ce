using System.Buffers;
using System.Net.Sockets;

namespace Synthetics.Lab.NodeBalancers;

/// <summary>The life of one connection: accept, decide its fate from the plan, then hold, reset or forward it.</summary>
public sealed partial class NodeBalancer
{
    private const int BufferSize = 16 * 1024;

    private async Task AcceptLoopAsync(VantageListener vantage)
    {
        var token = _shutdown.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await vantage.Listener.AcceptAsync(token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (!token.IsCancellationRequested)
            {
                // A client that gave up while queued; the listener itself is fine.
                continue;
            }
            catch (SocketException)
            {
                return;
            }

            var connection = new ProxiedConnection(client, vantage);
            _connections.TryAdd(connection, 0);
            _ = HandleAsync(connection, token);
        }
    }

    private async Task HandleAsync(ProxiedConnection connection, CancellationToken token)
    {
        var counters = connection.Vantage.Counters;
        counters.Accepted();
        try
        {
            connection.Client.NoDelay = true;

            // The plan is read once per connection: a new connection's fate is sealed when it is accepted.
            var plan = GetEffectiveFaultPlan(connection.Vantage.Name);
            if (plan.Blackhole)
            {
                counters.Blackholed();
                await HoldAsync(connection.Client, Timeout.InfiniteTimeSpan, token);
                connection.Abort();
                return;
            }

            if (plan.NewConnectionsPerSecondPerClient is { } rate)
            {
                var wait = connection.Vantage.ThrottleFor(plan, rate, _time).Acquire(plan.ThrottleAction);
                if (wait is not { } delay)
                {
                    counters.Throttled();
                    connection.Abort();
                    return;
                }

                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, _time, token);
                }
            }

            // One draw per connection whatever the plan, so a seed gives the same sequence of fates.
            var roll = NextDouble();
            if (roll < plan.StallShare)
            {
                counters.Stalled();
                await HoldAsync(connection.Client, plan.StallDuration, token);
                connection.Close();
                return;
            }

            if (roll < plan.StallShare + plan.ResetShare)
            {
                counters.Reset();
                connection.Abort();
                return;
            }

            if (plan.ConnectLatency > TimeSpan.Zero)
            {
                await Task.Delay(plan.ConnectLatency, _time, token);
            }

            var backend = await ConnectBackendAsync(token);
            if (backend is null)
            {
                counters.NoBackend();
                connection.Abort();
                return;
            }

            if (!connection.AttachBackend(backend))
            {
                return;
            }

            counters.Forwarded();
            ScheduleCut(connection);
            await PumpAsync(connection, plan.TlsHandshakeDelay, token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            connection.Abort();
        }
        finally
        {
            connection.Dispose();
            _connections.TryRemove(connection, out _);
            connection.MarkFinished();
        }
    }

    /// <summary>
    /// Keeps a connection open without letting a byte through, until <paramref name="duration"/> passes or the
    /// client gives up (its bytes are read and dropped, so its FIN or RST is noticed).
    /// </summary>
    private async Task HoldAsync(Socket client, TimeSpan duration, CancellationToken token)
    {
        using var hold = CancellationTokenSource.CreateLinkedTokenSource(token);
        var clientGone = DrainAsync(client, hold.Token);
        var elapsed = Task.Delay(duration, _time, hold.Token);
        await Task.WhenAny(clientGone, elapsed);
        await hold.CancelAsync();
        await clientGone;
        try
        {
            await elapsed;
        }
        catch (OperationCanceledException)
        {
            // Ended by the client leaving, or by shutdown (rethrown below).
        }

        token.ThrowIfCancellationRequested();
    }

    private static async Task DrainAsync(Socket client, CancellationToken token)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (await client.ReceiveAsync(buffer, SocketFlags.None, token) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Either way the hold is over.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Round robin over backends that are up; one that refuses or times out is passed over.</summary>
    private async Task<Socket?> ConnectBackendAsync(CancellationToken token)
    {
        for (var attempt = 0; attempt < _backends.Length; attempt++)
        {
            var slot = NextUpBackend();
            if (slot is null)
            {
                return null;
            }

            var socket = new Socket(slot.Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var timeout = new CancellationTokenSource(_backendConnectTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, timeout.Token);
            try
            {
                await socket.ConnectAsync(slot.Endpoint, linked.Token);
                return socket;
            }
            catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !token.IsCancellationRequested))
            {
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        return null;
    }

    private BackendSlot? NextUpBackend()
    {
        // Advancing the shared counter past down backends keeps the rotation even among those that are up.
        for (var i = 0; i < _backends.Length; i++)
        {
            var index = (int)((uint)Interlocked.Increment(ref _nextBackend) % (uint)_backends.Length);
            if (_backends[index].IsUp)
            {
                return _backends[index];
            }
        }

        return null;
    }

    private async Task PumpAsync(ProxiedConnection connection, TimeSpan handshakeDelay, CancellationToken token)
    {
        var backend = connection.Backend!;
        var upstream = CopyAsync(connection.Client, backend, TimeSpan.Zero, token);
        var downstream = CopyAsync(backend, connection.Client, handshakeDelay, token);
        var first = await Task.WhenAny(upstream, downstream);
        if (connection.IsDropped)
        {
            // The flow is gone: the client keeps its connection and gets nothing until it gives up.
            await Task.WhenAll(upstream, downstream);
            await HoldAsync(connection.Client, Timeout.InfiniteTimeSpan, token);
            connection.Abort();
            return;
        }

        if (!await first)
        {
            // A reset on one side becomes a reset on the other, as a TCP proxy that loses a flow does.
            connection.Abort();
        }

        var upstreamClean = await upstream;
        var downstreamClean = await downstream;
        if (upstreamClean && downstreamClean)
        {
            connection.Close();
        }
        else
        {
            connection.Abort();
        }
    }

    /// <summary>
    /// Copies one direction until the source closes (then half-closes the destination, so request/response
    /// protocols that rely on FIN still work). The first chunk can be held back: from the backend that chunk
    /// is the server's TLS handshake answer. Returns false when the flow broke.
    /// </summary>
    private async Task<bool> CopyAsync(Socket source, Socket destination, TimeSpan firstChunkDelay, CancellationToken token)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var first = true;
            while (true)
            {
                var read = await source.ReceiveAsync(buffer, SocketFlags.None, token);
                if (read == 0)
                {
                    destination.Shutdown(SocketShutdown.Send);
                    return true;
                }

                if (first && firstChunkDelay > TimeSpan.Zero)
                {
                    await Task.Delay(firstChunkDelay, _time, token);
                }

                first = false;
                var sent = 0;
                while (sent < read)
                {
                    sent += await destination.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, token);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
