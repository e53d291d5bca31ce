namespace Synthetics.Threading;

/// <summary>
/// Runs a call that blocks its thread (a library's synchronous wait) on a thread of its own, so the thread pool keeps
/// every thread for the work queued on it. A pool thread parked in a blocking wait delays every continuation behind it:
/// in a prober those delays are measured as the targets' latency, and when the wait depends on pool work (an in-process
/// server, an async callback) the pool can starve until it injects threads, about one per half second.
/// </summary>
internal static class DedicatedThread
{
    /// <summary>
    /// Starts <paramref name="work"/> on a new background thread named <paramref name="name"/> and completes with its
    /// result or exception. <paramref name="cancellationToken"/> ends the wait only: the work runs on to its end.
    /// </summary>
    public static Task<T> RunAsync<T>(string name, Func<T> work, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(work);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                completion.TrySetResult(work());
            }
            catch (Exception ex)
            {
                completion.TrySetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return completion.Task.WaitAsync(cancellationToken);
    }
}
