namespace Synthetics.Lab.Scenarios;

/// <summary>A scenario step that has just been applied (or, for a window, has just ended).</summary>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="Offset">Offset from the scenario's start at which it was due.</param>
/// <param name="At">When it ran, by the region's clock.</param>
/// <param name="Description">What changed.</param>
public sealed record LabScenarioEvent(string Scenario, TimeSpan Offset, DateTimeOffset At, string Description);
