namespace Synthetics.Discovery;

/// <summary>What applying one discovery changed in the catalog.</summary>
/// <param name="Added">Names of targets new to the catalog.</param>
/// <param name="Kept">How many targets were found again.</param>
/// <param name="Missing">Names of targets this discovery did not find but the catalog keeps (not missed often enough yet).</param>
/// <param name="Retired">Names of targets removed after too many discoveries in a row without them.</param>
public sealed record CatalogChange(IReadOnlyList<string> Added, int Kept, IReadOnlyList<string> Missing, IReadOnlyList<string> Retired);
