namespace Synthetics.Targets;

/// <summary>
/// The validated targets of this deployment: one per host, built once from the validated <c>Synthetics</c> section by
/// <see cref="TargetCatalogFactory"/> (registered by <c>AddSynthetics</c>).
/// </summary>
public sealed class TargetCatalog(IReadOnlyList<Target> targets)
{
    /// <summary>The targets, in configuration order.</summary>
    public IReadOnlyList<Target> Targets { get; } = targets;
}
