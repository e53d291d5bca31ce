using Microsoft.Extensions.Options;
using Synthetics.Configuration;
using Synthetics.Detection;

namespace Synthetics.Storage;

/// <summary>
/// Deletes what is older than <c>Synthetics:Storage:RetentionDays</c>: incident history and old run claims (retention's,
/// discovery's, the maintenance warnings') first (a
/// few rows), then results and cycle records, one transaction at a time and within <c>RetentionBudgetSeconds</c>:
/// whatever is left waits for the next run, so retention never competes for long with the probe cycles' writes.
/// </summary>
public sealed class ResultRetention(
    IResultStore store, IIncidentStateStore incidents, IRunClaims claims, IOptions<SyntheticsOptions> options, TimeProvider timeProvider)
{
    /// <summary>The name retention claims its slots under (<see cref="IRunClaims"/>).</summary>
    public const string RunName = "retention";

    /// <summary>Deletes once; throws when the table service fails.</summary>
    public async Task<RetentionReport> RunAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var storage = options.Value.Storage;
        var started = timeProvider.GetTimestamp();
        var budget = TimeSpan.FromSeconds(storage.RetentionBudgetSeconds);
        var cutoff = timeProvider.GetUtcNow().AddDays(-storage.RetentionDays);
        var history = await incidents.DeleteHistoryBeforeAsync(cutoff, cancellationToken);
        // Discovery claims one slot an hour, the maintenance watcher one per maintenance and stage (slot: its start):
        // their old claims go with retention's own.
        var claimsDeleted = await claims.DeleteBeforeAsync(RunName, cutoff, cancellationToken)
            + await claims.DeleteBeforeAsync(Pipeline.DiscoveryCycle.RunName, cutoff, cancellationToken)
            + await claims.DeleteRunsBeforeAsync(Pipeline.MaintenanceCycle.ClaimPrefix, cutoff, cancellationToken);
        var left = budget - timeProvider.GetElapsedTime(started);
        var report = left > TimeSpan.Zero
            ? await store.DeleteBeforeAsync(cutoff, left, cancellationToken)
            : new RetentionReport(0, 0, Completed: false);
        return report with { HistoryDeleted = history, ClaimsDeleted = claimsDeleted };
    }
}
