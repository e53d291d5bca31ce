using Synthetics.Detection;

namespace Synthetics.Maintenance;

/// <summary>The provider's maintenance windows, for annotating incidents and warning ahead.</summary>
public interface IMaintenanceSource
{
    /// <summary>Current and upcoming windows; empty when the status page cannot be read (never throws for that).</summary>
    Task<IReadOnlyList<MaintenanceWindow>> GetAsync(CancellationToken cancellationToken);

    /// <summary>The windows with why the status page could not be read, when it could not. Default: <see cref="GetAsync"/>, no reason.</summary>
    async Task<MaintenanceReading> ReadAsync(CancellationToken cancellationToken) => new(await GetAsync(cancellationToken), null);

    /// <summary>
    /// What the account says of an incident opening at <paramref name="now"/>: the provider's notices and the account's own
    /// changes that overlap it on its targets' regions and entities. Default: nothing (the status page alone).
    /// </summary>
    Task<IncidentContext> GetIncidentContextAsync(Incident incident, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(IncidentContext.None);
}
