namespace Synthetics.Maintenance;

/// <summary>What the account says of an incident: the provider's notice that overlaps it, and the account's own changes.</summary>
/// <param name="ProviderNotice">The overlapping account notice, in one line (<c>Scheduled maintenance (maintenance) on NodeBalancer ca-web (880101)</c>); null when none.</param>
/// <param name="CustomerChanges">The account's changes on the incident's targets' entities in its window, newest first.</param>
/// <param name="Failure">Why the account could not be read, when it could not.</param>
public sealed record IncidentContext(string? ProviderNotice, IReadOnlyList<CustomerChange> CustomerChanges, string? Failure)
{
    /// <summary>Nothing known (no token, or nothing overlapping).</summary>
    public static IncidentContext None { get; } = new(null, [], null);
}
