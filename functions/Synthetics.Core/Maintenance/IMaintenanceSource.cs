namespace Synthetics.Maintenance;

/// <summary>The provider's maintenance windows, for annotating incidents and warning ahead.</summary>
public interface IMaintenanceSource
{
    /// <summary>Current and upcoming windows; empty when the status page cannot be read (never throws for that).</summary>
    Task<IReadOnlyList<MaintenanceWindow>> GetAsync(CancellationToken cancellationToken);
}
