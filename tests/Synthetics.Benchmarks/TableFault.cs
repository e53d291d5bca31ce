namespace Synthetics.Benchmarks;

/// <summary>What <see cref="TableFaultProxy"/> does to the table service's traffic.</summary>
internal enum TableFault
{
    /// <summary>Passes every request through.</summary>
    None,

    /// <summary>Answers every request 503 Server Busy.</summary>
    Unavailable,

    /// <summary>Holds every new connection before passing it through.</summary>
    Slow,
}
