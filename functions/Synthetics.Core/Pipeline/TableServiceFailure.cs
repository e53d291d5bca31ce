using Azure;

namespace Synthetics.Pipeline;

/// <summary>
/// Recognises a table service that failed, as the Azure SDK reports it: a <see cref="RequestFailedException"/>, or,
/// once the client's retries are spent (an unreachable service), an <see cref="AggregateException"/> of them.
/// </summary>
internal static class TableServiceFailure
{
    /// <summary>True when <paramref name="exception"/> is the table service failing; <paramref name="status"/> is its last HTTP status (0: no response).</summary>
    public static bool Is(Exception exception, out int status)
    {
        switch (exception)
        {
            case RequestFailedException failed:
                status = failed.Status;
                return true;
            case AggregateException { InnerExceptions.Count: > 0 } retries when retries.InnerExceptions.All(e => e is RequestFailedException):
                status = ((RequestFailedException)retries.InnerExceptions[^1]).Status;
                return true;
            default:
                status = 0;
                return false;
        }
    }
}
