using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace Synthetics.Benchmarks;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of the table service, switchable at run time: <see cref="TableFault.None"/>
/// pipes bytes both ways; <see cref="TableFault.Unavailable"/> answers every request with <c>503 Server Busy</c> and
/// closes (as the service does when throttling a partition or an account); <see cref="TableFault.Slow"/> holds each new
/// connection for <see cref="Delay"/> before piping. Switching closes open connections, so kept-alive ones feel it too.
/// </summary>
internal sealed class TableFaultProxy(int upstreamPort) : LoopbackTableProxy(upstreamPort)
{
    private static readonly byte[] Busy = Encoding.ASCII.GetBytes(
        "HTTP/1.1 503 Server Busy\r\nContent-Length: 0\r\nConnection: close\r\nx-ms-error-code: ServerBusy\r\n\r\n");

    private readonly ConcurrentDictionary<Guid, TcpClient> _open = new();
    private volatile TableFault _fault;
    private int _refused;

    /// <summary>How long <see cref="TableFault.Slow"/> holds a connection. Default 20 s: past a request's timeout.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Requests answered 503 so far.</summary>
    public int Refused => Volatile.Read(ref _refused);

    public TableFault Fault
    {
        get => _fault;
        set
        {
            _fault = value;
            foreach (var (id, client) in _open)
            {
                if (_open.TryRemove(id, out _))
                {
                    client.Dispose();
                }
            }
        }
    }

    protected override async Task ServeAsync(TcpClient client)
    {
        var id = Guid.NewGuid();
        _open[id] = client;
        try
        {
            using (client)
            {
                var stream = client.GetStream();
                if (_fault == TableFault.Unavailable)
                {
                    await ReadHeadersAsync(stream);
                    Interlocked.Increment(ref _refused);
                    await stream.WriteAsync(Busy, Stopping);
                    return;
                }

                if (_fault == TableFault.Slow)
                {
                    await Task.Delay(Delay, TimeProvider.System, Stopping);
                }

                using var upstream = await ConnectUpstreamAsync();
                var up = upstream.GetStream();
                var first = await Task.WhenAny(stream.CopyToAsync(up, Stopping), up.CopyToAsync(stream, Stopping));
                await first;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A connection closed by either side or by a switch: the client sees a reset and retries.
        }
        finally
        {
            _open.TryRemove(id, out _);
        }
    }

    private async Task ReadHeadersAsync(NetworkStream stream)
    {
        var buffer = new byte[16 * 1024];
        var seen = 0;
        while (seen < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(seen), Stopping);
            if (read == 0)
            {
                return;
            }

            seen += read;
            if (buffer.AsSpan(0, seen).IndexOf("\r\n\r\n"u8) >= 0)
            {
                return;
            }
        }
    }

    // Closes the connections still open, so their pipes end with the proxy.
    protected override void OnStopping() => Fault = TableFault.None;
}
