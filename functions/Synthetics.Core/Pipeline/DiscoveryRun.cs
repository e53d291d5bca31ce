using Synthetics.Discovery;

namespace Synthetics.Pipeline;

/// <summary>What one <see cref="DiscoveryCycle"/> run did.</summary>
/// <param name="At">When the run started.</param>
/// <param name="Vantage">The vantage point (app) that ran it.</param>
/// <param name="Result">What the Linode API gave; null when the run did not read it (off, or another app's slot).</param>
/// <param name="Change">What changed in the catalog; null unless the API was read to the end and the catalog written.</param>
/// <param name="Failure">One line saying why the run failed (the API, or the table service); null when it did not. Never quotes the token.</param>
public sealed record DiscoveryRun(DateTimeOffset At, string Vantage, DiscoveryResult? Result, CatalogChange? Change, string? Failure)
{
    /// <summary>True when another app claimed this schedule slot: it discovers, this app did nothing.</summary>
    public bool Skipped { get; init; }

    /// <summary>True when discovery is off (no <c>Synthetics:Linode:Token</c>).</summary>
    public bool Disabled { get; init; }

    /// <summary>True when the API was read and the catalog updated.</summary>
    public bool Succeeded => Change is not null && Failure is null;
}
