using System.Net;
using System.Net.Sockets;

namespace Synthetics.Lab.Sockets;

/// <summary>
/// A TCP server on 127.0.0.1 whose every connection runs a script: accept, handshake or not, wait, answer, reset,
/// stall. Tests and benchmarks use it to produce exactly the network behaviour a probe must classify.
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<ScriptedConnection, CancellationToken, Task> _script;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _connections = [];
    private readonly Task _acceptLoop;
    private int _accepted;
    private int _active;
    private int _maxActive;

    private ScriptedServer(Socket listener, Func<ScriptedConnection, CancellationToken, Task> script)
    {
        _listener = listener;
        _script = script;
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
        // On the thread pool, never on the caller's synchronization context (a test runner's may have two threads).
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>The most connections that were open at once.</summary>
    public int MaxConcurrent => Volatile.Read(ref _maxActive);

    /// <summary>Starts listening on 127.0.0.1 at a free port; each accepted connection runs <paramref name="script"/>.</summary>
    public static ScriptedServer Start(Func<ScriptedConnection, CancellationToken, Task> script, int backlog = 1024)
    {
        ArgumentNullException.ThrowIfNull(script);
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(backlog);
        return new ScriptedServer(listener, script);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            var active = Interlocked.Increment(ref _active);
            UpdateMax(active);
            var task = Task.Run(() => RunAsync(socket));
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(task);
            }
        }
    }

    private async Task RunAsync(Socket socket)
    {
        var connection = new ScriptedConnection(socket);
        try
        {
            await _script(connection, _stopping.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException
                                   or System.Security.Authentication.AuthenticationException)
        {
            // The client went away or the server is stopping: the script's business ends here.
        }
        finally
        {
            await connection.DisposeAsync();
            Interlocked.Decrement(ref _active);
        }
    }

    private void UpdateMax(int active)
    {
        int seen;
        while (active > (seen = Volatile.Read(ref _maxActive)) && Interlocked.CompareExchange(ref _maxActive, active, seen) != seen)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _acceptLoop;
        Task[] pending;
        lock (_connections)
        {
            pending = [.. _connections];
        }

        await Task.WhenAll(pending);
        _stopping.Dispose();
    }
}
