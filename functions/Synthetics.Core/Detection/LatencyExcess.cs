namespace Synthetics.Detection;

/// <summary>A probe slower than its own baseline: its p90 in the window against the baseline's median.</summary>
public sealed record LatencyExcess(string Probe, double P90Ms, double BaselineMedianMs);
