namespace Synthetics.Probes;

/// <summary>The phases of a network exchange, timed one by one.</summary>
public enum ProbePhase
{
    Dns,
    Connect,
    Tls,
    Ttfb,
    Transfer,
}
