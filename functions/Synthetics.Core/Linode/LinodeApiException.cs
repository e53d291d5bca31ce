namespace Synthetics.Linode;

/// <summary>
/// The Linode API could not give what was asked: refused (<c>401</c>, <c>403</c> naming the scope), rate limited past the
/// bound, failing (<c>5xx</c>), silent past the timeout, or answering what the spec does not describe. The message is one
/// line for an operator; it never quotes the token or the answer's body.
/// </summary>
public sealed class LinodeApiException : Exception
{
    public LinodeApiException()
    {
    }

    public LinodeApiException(string message)
        : base(message)
    {
    }

    public LinodeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public LinodeApiException(string message, int? statusCode)
        : base(message)
    {
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status of the answer, or null when there was none (timeout, connection failure) or it was 2xx garbage.</summary>
    public int? StatusCode { get; }
}
