namespace Synthetics.Lab.Scenarios;

/// <summary>One step of a running scenario, as <c>GET /admin/scenario</c> lists it.</summary>
/// <param name="At">Offset from the scenario's start.</param>
/// <param name="Duration">How long it lasts, or null for a one-off action.</param>
/// <param name="Description">What it does, for people (never a token).</param>
public sealed record LabScenarioStep(TimeSpan At, TimeSpan? Duration, string Description);
