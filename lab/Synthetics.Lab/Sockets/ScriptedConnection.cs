using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Synthetics.Lab.Sockets;

/// <summary>One accepted connection of a <see cref="ScriptedServer"/>, with the moves a script can make.</summary>
public sealed class ScriptedConnection : IAsyncDisposable
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    // Building a certificate context (with its chain) per handshake costs more than the handshake: build it once.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<X509Certificate2, SslStreamCertificateContext> Contexts = [];

    internal ScriptedConnection(Socket socket)
    {
        Socket = socket;
        Stream = new NetworkStream(socket, ownsSocket: false);
    }

    public Socket Socket { get; }

    /// <summary>The stream to read and write: the raw socket, or TLS after <see cref="AuthenticateAsync"/>.</summary>
    public Stream Stream { get; private set; }

    /// <summary><see cref="Stopwatch"/> timestamp of the end of the last request head read, or 0.</summary>
    public long RequestReceivedTimestamp { get; private set; }

    /// <summary><see cref="Stopwatch"/> timestamp of the first response byte written, or 0.</summary>
    public long FirstByteSentTimestamp { get; private set; }

    /// <summary>Completes a TLS handshake as the server with <paramref name="certificate"/>.</summary>
    public async Task AuthenticateAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(Stream, leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = Contexts.GetValue(certificate, c => SslStreamCertificateContext.Create(c, additionalCertificates: null, offline: true)),
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        }, cancellationToken);
        Stream = ssl;
    }

    /// <summary>Reads until the end of an HTTP request head and returns it (request line and headers).</summary>
    public async Task<string?> ReadRequestHeadAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await Stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                return null;
            }

            length += read;
            if (buffer.AsSpan(0, length).IndexOf(HeaderEnd) >= 0)
            {
                RequestReceivedTimestamp = Stopwatch.GetTimestamp();
                return Encoding.ASCII.GetString(buffer, 0, length);
            }
        }

        return null;
    }

    /// <summary>Reads whatever the client sent first (a TLS ClientHello, say), without answering it.</summary>
    public async Task<int> ReadSomeAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        return await Stream.ReadAsync(buffer, cancellationToken);
    }

    /// <summary>Writes bytes, recording when the first one went out.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (FirstByteSentTimestamp == 0)
        {
            FirstByteSentTimestamp = Stopwatch.GetTimestamp();
        }

        await Stream.WriteAsync(bytes, cancellationToken);
        await Stream.FlushAsync(cancellationToken);
    }

    /// <summary>Writes a complete HTTP/1.1 response with a body.</summary>
    public Task RespondAsync(int status, string body, CancellationToken cancellationToken, string contentType = "text/plain", bool keepAlive = true)
    {
        var bodyBytes = Encoding.UTF8.GetBytes(body);
        var head = $"HTTP/1.1 {status} {Reason(status)}\r\nContent-Type: {contentType}\r\nContent-Length: {bodyBytes.Length}\r\n" +
                   $"Connection: {(keepAlive ? "keep-alive" : "close")}\r\n\r\n";
        var bytes = new byte[Encoding.ASCII.GetByteCount(head) + bodyBytes.Length];
        var written = Encoding.ASCII.GetBytes(head, bytes);
        bodyBytes.CopyTo(bytes, written);
        return WriteAsync(bytes, cancellationToken);
    }

    /// <summary>Aborts the connection with a TCP RST instead of an orderly close.</summary>
    public void Reset()
    {
        Socket.LingerState = new LingerOption(true, 0);
        Socket.Close();
    }

    /// <summary>Holds the connection open, sending nothing, until the client leaves or the server stops.</summary>
    public async Task StallAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (await Stream.ReadAsync(buffer, cancellationToken) > 0)
        {
        }
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Stream.DisposeAsync();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
        }

        Socket.Dispose();
    }
}
