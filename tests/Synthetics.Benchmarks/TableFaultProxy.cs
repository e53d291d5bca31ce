using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Synthetics.Benchmarks;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of the table service, switchable at run time: <see cref="TableFault.None"/>
/// pipes bytes both ways; <see cref="TableFault.Unavailable"/> answers every request with <c>503 Server Busy</c> and
/// closes (as the service does when throttling a partition or an account); <see cref="TableFault.Slow"/> holds each new
/// connection for <see cref="Delay"/> before piping. Switching closes open connections, so kept-alive ones feel it too.
/// </summary>
internal sealed class TableFaultProxy : IAsyncDisposable
{
    private static readonly byte[] Busy = Encoding.ASCII.GetBytes(
        "HTTP/1.1 503 Server Busy\r\nContent-Length: 0\r\nConnection: close\r\nx-ms-error-code: ServerBusy\r\n\r\n");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstream;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Guid, TcpClient> _open = new();
    private readonly Task _accepting;
    private volatile TableFault _fault;
    private int _refused;

    public TableFaultProxy(int upstreamPort)
    {
        _upstream = upstreamPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

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

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
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
                    await stream.WriteAsync(Busy, _stopping.Token);
                    return;
                }

                if (_fault == TableFault.Slow)
                {
                    await Task.Delay(Delay, TimeProvider.System, _stopping.Token);
                }

                using var upstream = new TcpClient();
                await upstream.ConnectAsync(IPAddress.Loopback, _upstream, _stopping.Token);
                var up = upstream.GetStream();
                var first = await Task.WhenAny(stream.CopyToAsync(up, _stopping.Token), up.CopyToAsync(stream, _stopping.Token));
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
            var read = await stream.ReadAsync(buffer.AsMemory(seen), _stopping.Token);
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

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Fault = TableFault.None;
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }
}
