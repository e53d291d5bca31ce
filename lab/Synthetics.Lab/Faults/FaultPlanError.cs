namespace Synthetics.Lab.Faults;

/// <summary>Why a <see cref="FaultPlan"/> was refused, naming the offending camelCase field.</summary>
public sealed record FaultPlanError(string Field, string Message);
