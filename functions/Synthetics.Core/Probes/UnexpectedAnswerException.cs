namespace Synthetics.Probes;

/// <summary>
/// A server answered, but not as the protocol says it must: a Kubernetes API call that returns HTML, a truncated or
/// non-JSON body, a 200 that is not a Kubernetes object, a health endpoint that does not speak the health format. The
/// message says what was wrong in words, never the body; the outcome is <c>unexpected_body</c>.
/// </summary>
internal sealed class UnexpectedAnswerException : Exception
{
    public UnexpectedAnswerException(string message)
        : base(message)
    {
    }

    public UnexpectedAnswerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UnexpectedAnswerException()
    {
    }
}
