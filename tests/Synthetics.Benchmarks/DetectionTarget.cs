namespace Synthetics.Benchmarks;

/// <summary>A simulated target and the probes run against it each cycle.</summary>
internal sealed record DetectionTarget(string Name, string Region, string Kind, IReadOnlyList<DetectionProbeProfile> Probes);
