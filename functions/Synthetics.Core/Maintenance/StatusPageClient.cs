namespace Synthetics.Maintenance;

/// <summary>
/// Fetches maintenance windows from a Statuspage v2 site (default Linode's): active, upcoming and the recent ones
/// (<c>scheduled-maintenances.json</c>, the 50 latest, completed included: an incident opened just after the provider
/// called its work done still overlaps it), merged by id, the most current answer first.
/// The HTTP client comes from the host (its timeout bounds every call).
/// </summary>
public sealed class StatusPageClient(HttpClient http, Uri baseAddress)
{
    /// <summary>Linode's status page.</summary>
    public static Uri LinodeStatusPage { get; } = new("https://status.linode.com/");

    public async Task<IReadOnlyList<MaintenanceWindow>> GetMaintenancesAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var lists = await Task.WhenAll(
            GetAsync("api/v2/scheduled-maintenances/active.json", cancellationToken),
            GetAsync("api/v2/scheduled-maintenances/upcoming.json", cancellationToken),
            GetAsync("api/v2/scheduled-maintenances.json", cancellationToken));
        return [.. lists.SelectMany(l => l).GroupBy(m => m.Id, StringComparer.Ordinal).Select(g => g.First())];
    }

    private async Task<IReadOnlyList<MaintenanceWindow>> GetAsync(string path, CancellationToken cancellationToken)
    {
        var json = await http.GetStringAsync(new Uri(baseAddress, path), cancellationToken);
        return StatusPageReader.ReadMaintenances(json);
    }
}
