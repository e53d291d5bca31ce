using Microsoft.Extensions.Options;
using Synthetics.Configuration;
using Synthetics.Detection;
using Synthetics.Targets;

namespace Synthetics.Maintenance;

/// <summary>
/// The provider's context of what is monitored: the status page's maintenances (<see cref="StatusPageMaintenanceSource"/>)
/// and, with <c>Linode:Token</c>, the account's notices and changes matched to an incident's targets by region,
/// <c>clusterId</c> and <c>nodeBalancerId</c> (the catalog a probe cycle sees: settings and discovered).
/// </summary>
internal sealed class ProviderContextSource(
    StatusPageMaintenanceSource statusPage,
    IAccountActivitySource account,
    IEnumerable<ITargetCatalogSource> catalogs,
    IOptions<SyntheticsOptions> options) : IMaintenanceSource
{
    public Task<IReadOnlyList<MaintenanceWindow>> GetAsync(CancellationToken cancellationToken) => statusPage.GetAsync(cancellationToken);

    public Task<MaintenanceReading> ReadAsync(CancellationToken cancellationToken) => statusPage.ReadAsync(cancellationToken);

    public async Task<IncidentContext> GetIncidentContextAsync(Incident incident, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        if (!account.IsEnabled || catalogs.FirstOrDefault() is not { } catalogSource)
        {
            return IncidentContext.None;
        }

        var catalog = await catalogSource.GetAsync(cancellationToken);
        var involved = catalog.Targets.Select(t => (t.Name, t.Region, t.Labels))
            .Concat(catalog.Unresolved.Select(u => (u.Name, u.Region, u.Labels)))
            .Where(t => incident.Targets.Contains(t.Name, StringComparer.Ordinal)
                || (incident.Scope == IncidentScope.Region && string.Equals(t.Region, incident.Region, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        var lookback = options.Value.Maintenance.ChangeLookback;
        var changes = await account.GetChangesAsync(incident.FirstSeenAt - lookback, cancellationToken);
        var notices = await account.GetNoticesAsync(cancellationToken);
        var region = incident.Region ?? "";
        var notice = notices.Items.FirstOrDefault(n => n.Covers(incident.FirstSeenAt, now)
            && (n.Touches(region, new Dictionary<string, string>()) || involved.Any(t => n.Touches(t.Region, t.Labels))));
        return new IncidentContext(
            notice is null ? null : $"{notice.Label} ({notice.Type}) on {notice.Entity}, an account notice",
            [.. changes.Items.Where(c => c.At <= now && involved.Any(t => c.Touches(t.Labels)))],
            changes.Failure ?? notices.Failure);
    }
}
