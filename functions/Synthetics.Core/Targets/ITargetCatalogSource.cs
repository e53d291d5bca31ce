namespace Synthetics.Targets;

/// <summary>
/// The catalog a probe cycle probes: the settings' targets and, with discovery on, the discovered catalog read from the
/// shared table at each cycle, so a cluster discovered after the host started is probed without a redeploy.
/// </summary>
public interface ITargetCatalogSource
{
    /// <summary>The catalog for the cycle about to run. Never throws for the table service: the last catalog read stays.</summary>
    Task<TargetCatalog> GetAsync(CancellationToken cancellationToken);
}
