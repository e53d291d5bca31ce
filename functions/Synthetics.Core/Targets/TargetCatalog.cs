namespace Synthetics.Targets;

/// <summary>The validated targets of this deployment.</summary>
public sealed class TargetCatalog(IReadOnlyList<Target> targets)
{
    public IReadOnlyList<Target> Targets { get; } = targets;
}
