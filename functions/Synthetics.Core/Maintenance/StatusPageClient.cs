namespace Synthetics.Maintenance;

/// <summary>
/// Fetches maintenance windows from a Statuspage v2 site (default Linode's): upcoming and active, merged by id.
/// The HTTP client comes from the host (its timeout bounds every call).
/// </summary>
public sealed class StatusPageClient(HttpClient http, Uri baseAddress)
{
    /// <summary>Linode's status page.</summary>
    public static Uri LinodeStatusPage { get; } = new("https://status.linode.com/");

    public async Task<IReadOnlyList<MaintenanceWindow>> GetMaintenancesAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var upcoming = await GetAsync("api/v2/scheduled-maintenances/upcoming.json", cancellationToken);
        var active = await GetAsync("api/v2/scheduled-maintenances/active.json", cancellationToken);
        return [.. active.Concat(upcoming).GroupBy(m => m.Id, StringComparer.Ordinal).Select(g => g.First())];
    }

    private async Task<IReadOnlyList<MaintenanceWindow>> GetAsync(string path, CancellationToken cancellationToken)
    {
        var json = await http.GetStringAsync(new Uri(baseAddress, path), cancellationToken);
        return StatusPageReader.ReadMaintenances(json);
    }
}
