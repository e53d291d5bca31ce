namespace Synthetics.Explain;

/// <summary>
/// The request names something the store does not hold (an unknown incident or target) or is malformed (no subject,
/// an empty or reversed range). The message is one line meant for the person who asked.
/// </summary>
public sealed class EvidenceRequestException : Exception
{
    public EvidenceRequestException(string message)
        : base(message)
    {
    }

    public EvidenceRequestException()
        : this("The evidence request is invalid.")
    {
    }

    public EvidenceRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
