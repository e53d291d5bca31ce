namespace Synthetics.Benchmarks;

/// <summary>
/// A simulated target, the probes run against it each cycle, and its disruption sampler: a request on a new connection
/// (and, unless <paramref name="Reused"/> is false, one on a kept-alive connection) every second of the sampling period,
/// each typically <paramref name="SampleMs"/> on a new connection.
/// </summary>
internal sealed record DetectionTarget(string Name, string Region, string Kind, IReadOnlyList<DetectionProbeProfile> Probes, double SampleMs, bool Reused = true);
