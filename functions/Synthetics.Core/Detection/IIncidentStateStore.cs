namespace Synthetics.Detection;

/// <summary>
/// Detection state shared by every evaluator, saved only if nobody saved since it was loaded (an ETag), so two
/// evaluators racing on the same evaluation open an incident once.
/// </summary>
public interface IIncidentStateStore
{
    /// <summary>The state and its version (null when none was ever saved).</summary>
    Task<(DetectionState State, string? Version)> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Saves <paramref name="state"/> if the stored version is still <paramref name="version"/>; false if another evaluator won.</summary>
    Task<bool> TrySaveAsync(DetectionState state, string? version, CancellationToken cancellationToken);

    /// <summary>Keeps an incident event in the history (evidence reports read it). Idempotent per incident and event.</summary>
    Task RecordAsync(IncidentEvent incidentEvent, CancellationToken cancellationToken);

    /// <summary>The history, newest first: incidents opened, updated or resolved since <paramref name="since"/>.</summary>
    Task<IReadOnlyList<IncidentEvent>> HistoryAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes history events that happened before <paramref name="cutoff"/> (retention: the results they judged are gone
    /// too); returns how many. Run by one app per retention slot; an event already gone is no error.
    /// </summary>
    Task<int> DeleteHistoryBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
