namespace Synthetics.Explain;

/// <summary>Builds evidence reports from the stored results, cycle records, incident history and the status page.</summary>
public interface IEvidenceSource
{
    /// <summary>
    /// The report for <paramref name="request"/>. Throws <see cref="EvidenceRequestException"/> when the request is
    /// malformed or names an incident or target the store and configuration do not know.
    /// </summary>
    Task<EvidenceReport> BuildAsync(EvidenceRequest request, CancellationToken cancellationToken);
}
