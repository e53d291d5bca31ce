namespace Synthetics.Lab.Tests.NodeBalancers;

/// <summary>What a client saw on one connection through the NodeBalancer.</summary>
internal enum ProbeOutcome
{
    /// <summary>Its byte came back.</summary>
    Forwarded,

    /// <summary>No byte, then an orderly close (a stall that ended).</summary>
    Closed,

    /// <summary>RST.</summary>
    Reset,

    /// <summary>Nothing at all before the client gave up.</summary>
    TimedOut,
}
