namespace Synthetics.Explain;

/// <summary>Builds the monthly uptime report from the stored results, the incident history and the status page.</summary>
public interface IUptimeSource
{
    /// <summary>The report of the month starting <paramref name="month"/> (its first day, UTC).</summary>
    Task<UptimeReport> BuildAsync(DateOnly month, CancellationToken cancellationToken);
}
