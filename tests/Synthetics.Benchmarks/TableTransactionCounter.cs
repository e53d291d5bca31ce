using System.Net.Sockets;
using System.Text;

namespace Synthetics.Benchmarks;

/// <summary>
/// An HTTP/1.1 proxy on 127.0.0.1 in front of the table service that counts the requests passing through as the
/// service bills them: a <c>$batch</c> (up to 100 entities of one partition) is one transaction, a query page is one,
/// every other request one. Responses are piped untouched.
/// </summary>
internal sealed class TableTransactionCounter(int upstreamPort) : LoopbackTableProxy(upstreamPort)
{
    private long _reads;
    private long _writes;
    private long _deletes;
    private long _batches;
    private long _batchedOperations;
    private long _requestBytes;

    public TableTransactions Snapshot() => new(
        Interlocked.Read(ref _reads),
        Interlocked.Read(ref _writes),
        Interlocked.Read(ref _deletes),
        Interlocked.Read(ref _batches),
        Interlocked.Read(ref _batchedOperations),
        Interlocked.Read(ref _requestBytes));

    protected override async Task ServeAsync(TcpClient client)
    {
        try
        {
            using (client)
            using (var upstream = await ConnectUpstreamAsync())
            {
                var fromClient = client.GetStream();
                var toServer = upstream.GetStream();
                var responses = toServer.CopyToAsync(fromClient, Stopping);
                var requests = ForwardRequestsAsync(new RequestReader(fromClient), toServer);
                await Task.WhenAny(responses, requests);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Either side closed: the client's pool opens another connection when it needs one.
        }
    }

    private async Task ForwardRequestsAsync(RequestReader reader, NetworkStream server)
    {
        while (await reader.ReadHeadAsync(Stopping) is { } head)
        {
            var text = Encoding.ASCII.GetString(head);
            var requestLine = text[..text.IndexOf("\r\n", StringComparison.Ordinal)].Split(' ');
            var (method, target) = (requestLine[0], requestLine.Length > 1 ? requestLine[1] : "");
            await server.WriteAsync(head, Stopping);
            var body = new MemoryStream();
            if (Header(text, "Content-Length") is { } length)
            {
                await reader.CopyAsync(long.Parse(length, System.Globalization.CultureInfo.InvariantCulture), body, Stopping);
            }
            else if (Header(text, "Transfer-Encoding") is { } encoding && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                await reader.CopyChunkedAsync(body, Stopping);
            }

            body.Position = 0;
            await body.CopyToAsync(server, Stopping);
            Count(method, target, body.ToArray(), head.Length);
        }
    }

    private void Count(string method, string target, byte[] body, int headLength)
    {
        Interlocked.Add(ref _requestBytes, headLength + body.Length);
        var path = target.Split('?')[0];
        if (method == "POST" && path.EndsWith("$batch", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _batches);
            // Each operation of a changeset is one embedded request line: "POST http://… HTTP/1.1".
            var operations = Encoding.UTF8.GetString(body).Split('\n').Count(line => line.TrimEnd('\r').EndsWith(" HTTP/1.1", StringComparison.Ordinal));
            Interlocked.Add(ref _batchedOperations, operations);
        }
        else if (method is "GET" or "HEAD")
        {
            Interlocked.Increment(ref _reads);
        }
        else if (method == "DELETE")
        {
            Interlocked.Increment(ref _deletes);
        }
        else
        {
            Interlocked.Increment(ref _writes);
        }
    }

    private static string? Header(string head, string name)
    {
        foreach (var line in head.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    /// <summary>Reads HTTP/1.1 request heads and bodies off a stream, keeping what it read ahead.</summary>
    private sealed class RequestReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<byte[]?> ReadHeadAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var index = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
                if (index >= 0)
                {
                    var head = _buffer.AsSpan(_start, index + 4).ToArray();
                    _start += index + 4;
                    return head;
                }

                if (!await FillAsync(cancellationToken))
                {
                    return null;
                }
            }
        }

        public async Task CopyAsync(long count, Stream destination, CancellationToken cancellationToken)
        {
            while (count > 0)
            {
                if (_start == _end && !await FillAsync(cancellationToken))
                {
                    throw new IOException("The client closed inside a request body.");
                }

                var take = (int)Math.Min(count, _end - _start);
                await destination.WriteAsync(_buffer.AsMemory(_start, take), cancellationToken);
                _start += take;
                count -= take;
            }
        }

        public async Task CopyChunkedAsync(Stream destination, CancellationToken cancellationToken)
        {
            while (true)
            {
                var sizeLine = await ReadLineAsync(cancellationToken);
                await destination.WriteAsync(Encoding.ASCII.GetBytes(sizeLine + "\r\n"), cancellationToken);
                var size = Convert.ToInt64(sizeLine.Split(';')[0].Trim(), 16);
                await CopyAsync(size + 2, destination, cancellationToken);
                if (size == 0)
                {
                    return;
                }
            }
        }

        private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var index = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
                if (index >= 0)
                {
                    var line = Encoding.ASCII.GetString(_buffer, _start, index);
                    _start += index + 2;
                    return line;
                }

                if (!await FillAsync(cancellationToken))
                {
                    throw new IOException("The client closed inside a chunked body.");
                }
            }
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new IOException("A request head larger than the buffer.");
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            _end += read;
            return read > 0;
        }
    }
}
