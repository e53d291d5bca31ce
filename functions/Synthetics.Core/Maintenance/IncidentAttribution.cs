namespace Synthetics.Maintenance;

/// <summary>
/// Whose side an incident is likely on, from what overlaps it: the account's own change on its targets' clusters or
/// NodeBalancers (<see cref="Customer"/>: checked first, as the likelier and quicker cause to rule out), a provider
/// maintenance or notice (<see cref="Provider"/>), or nothing known (<see cref="Unknown"/>).
/// </summary>
public static class IncidentAttribution
{
    public const string Provider = "provider";

    public const string Customer = "customer";

    public const string Unknown = "unknown";

    /// <summary>The attribution and the customer changes named, given the status page's overlapping maintenance and the account's context.</summary>
    public static (string Attribution, IReadOnlyList<string> CustomerChanges) Of(string? providerMaintenance, IncidentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        IReadOnlyList<string> changes = [.. context.CustomerChanges.Select(c => c.Describe())];
        var attribution = changes.Count > 0 ? Customer
            : providerMaintenance is not null || context.ProviderNotice is not null ? Provider
            : Unknown;
        return (attribution, changes);
    }
}
