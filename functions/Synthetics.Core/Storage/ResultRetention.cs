using Microsoft.Extensions.Options;
using Synthetics.Configuration;

namespace Synthetics.Storage;

/// <summary>
/// Deletes results older than <c>Synthetics:Storage:RetentionDays</c>, one transaction at a time and within
/// <c>RetentionBudgetSeconds</c>: whatever is left waits for the next run, so retention never competes for long
/// with the probe cycles' writes.
/// </summary>
public sealed class ResultRetention(IResultStore store, IOptions<SyntheticsOptions> options, TimeProvider timeProvider)
{
    public Task<RetentionReport> RunAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var storage = options.Value.Storage;
        var cutoff = timeProvider.GetUtcNow().AddDays(-storage.RetentionDays);
        return store.DeleteBeforeAsync(cutoff, TimeSpan.FromSeconds(storage.RetentionBudgetSeconds), cancellationToken);
    }
}
