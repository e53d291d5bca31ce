namespace Synthetics.Lab.Faults;

/// <summary>
/// One step of a <see cref="ScenarioTimeline"/>: at <see cref="At"/> (offset from the run's start) run
/// <see cref="Apply"/>; when <see cref="Duration"/> is set, run <see cref="Revert"/> that long after.
/// </summary>
public sealed record ScenarioStep(
    TimeSpan At,
    TimeSpan? Duration,
    string Description,
    Func<CancellationToken, Task> Apply,
    Func<CancellationToken, Task>? Revert);
