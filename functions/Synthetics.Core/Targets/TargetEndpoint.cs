namespace Synthetics.Targets;

/// <summary>Where network probes connect.</summary>
/// <param name="Host">Host name or IP literal.</param>
/// <param name="Port">TCP port.</param>
/// <param name="UseTls">Whether TLS is spoken on the port (https URLs and control planes).</param>
public sealed record TargetEndpoint(string Host, int Port, bool UseTls)
{
    /// <summary>True when <see cref="Host"/> is an address, so there is nothing to resolve.</summary>
    public bool IsAddress => System.Net.IPAddress.TryParse(Host, out _);

    public override string ToString() => $"{Host}:{Port}";
}
