namespace Synthetics.Targets;

/// <summary>
/// The targets of this deployment: one per host, built once from the validated <c>Synthetics</c> section by
/// <see cref="TargetCatalogFactory"/> (registered by <c>AddSynthetics</c>).
/// </summary>
public sealed class TargetCatalog(IReadOnlyList<Target> targets, IReadOnlyList<UnresolvedTarget>? unresolved = null)
{
    /// <summary>The targets probed, in configuration order.</summary>
    public IReadOnlyList<Target> Targets { get; } = targets;

    /// <summary>The targets whose kubeconfig or CA bundle could not be had: reported every cycle, not probed.</summary>
    public IReadOnlyList<UnresolvedTarget> Unresolved { get; } = unresolved ?? [];
}
