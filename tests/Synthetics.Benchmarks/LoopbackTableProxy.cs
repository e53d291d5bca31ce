using System.Net;
using System.Net.Sockets;

namespace Synthetics.Benchmarks;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of the table service: accepts until disposed and hands each client connection to
/// <see cref="ServeAsync"/>, which decides what passes (<see cref="TableFaultProxy"/> breaks it on demand,
/// <see cref="TableTransactionCounter"/> counts what the service would bill).
/// </summary>
internal abstract class LoopbackTableProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstream;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;

    protected LoopbackTableProxy(int upstreamPort)
    {
        _upstream = upstreamPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>Where clients connect instead of the table service.</summary>
    public int Port { get; }

    /// <summary>Cancelled when the proxy is disposed.</summary>
    protected CancellationToken Stopping => _stopping.Token;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        OnStopping();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    /// <summary>Serves one client connection until either side closes; owns <paramref name="client"/>.</summary>
    protected abstract Task ServeAsync(TcpClient client);

    /// <summary>Called once the listener stopped, before waiting for the accept loop: close what is still open.</summary>
    protected virtual void OnStopping()
    {
    }

    /// <summary>A new connection to the table service.</summary>
    protected async Task<TcpClient> ConnectUpstreamAsync()
    {
        var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _upstream, Stopping);
            return upstream;
        }
        catch
        {
            upstream.Dispose();
            throw;
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
}
