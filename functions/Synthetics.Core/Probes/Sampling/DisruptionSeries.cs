namespace Synthetics.Probes.Sampling;

/// <summary>How a series' samples reach the target.</summary>
internal enum DisruptionSeries
{
    /// <summary>A fresh connection per sample: connect, TLS, request (the connect alone for a TCP port).</summary>
    New,

    /// <summary>A request on a connection kept alive across samples.</summary>
    Reused,
}
