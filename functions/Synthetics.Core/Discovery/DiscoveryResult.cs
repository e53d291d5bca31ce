namespace Synthetics.Discovery;

/// <summary>What one read of the Linode API found, or why it found nothing usable.</summary>
/// <param name="Targets">The targets found (empty when the read failed).</param>
/// <param name="Clusters">LKE clusters kept (after the tag filter).</param>
/// <param name="NodeBalancers">NodeBalancers kept (after the tag filter).</param>
/// <param name="Failure">One line saying why the read failed, or null when it succeeded. Never quotes the token.</param>
public sealed record DiscoveryResult(IReadOnlyList<DiscoveredTarget> Targets, int Clusters, int NodeBalancers, string? Failure)
{
    /// <summary>What was seen but not turned into a target, one line each (a cluster without endpoints yet, a UDP port).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>True when the API was read to the end: only then may the catalog learn that something vanished.</summary>
    public bool Succeeded => Failure is null;

    /// <summary>The HTTP status of a failed read when the API answered one (401, 403, 429, 5xx); null otherwise.</summary>
    public int? FailureStatus { get; init; }

    public static DiscoveryResult Failed(string failure, int? status = null) => new([], 0, 0, failure) { FailureStatus = status };
}
