using System.Net;
using System.Net.Sockets;

namespace Synthetics.Core.Tests.Support;

/// <summary>A loopback port that nothing listens on (taken from the OS, then released).</summary>
public static class FreePort
{
    public static int Take()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
