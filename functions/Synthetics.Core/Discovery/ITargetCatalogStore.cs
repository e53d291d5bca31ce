namespace Synthetics.Discovery;

/// <summary>
/// The discovered target catalog, shared by every vantage point (DESIGN §4): discovery applies what it found, every probe
/// cycle reads it. Table service failures surface as the Azure SDK's exceptions; callers decide what they mean.
/// </summary>
public interface ITargetCatalogStore
{
    /// <summary>Every target the catalog holds, found or still missed (not yet retired), ordered by key.</summary>
    Task<IReadOnlyList<DiscoveredTarget>> ReadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Applies a successful discovery: what it found is stored (its miss count back to 0); what it did not find counts one
    /// more miss and is retired once it has missed <paramref name="retireAfterMissed"/> in a row.
    /// </summary>
    Task<CatalogChange> ApplyAsync(IReadOnlyList<DiscoveredTarget> found, int retireAfterMissed, CancellationToken cancellationToken);
}
