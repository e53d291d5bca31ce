namespace Synthetics.Benchmarks;

/// <summary>
/// A simulated probe: its typical duration, and for the canary and the watch how long they hold their one connection
/// (a stall or a cut while held is <c>lease_lost</c> / <c>watch_dropped</c>, not a timeout).
/// </summary>
internal sealed record DetectionProbeProfile(string Name, double TypicalMs, TimeSpan? HeldFor = null);
