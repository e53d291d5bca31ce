using Microsoft.AspNetCore.Http;

namespace Synthetics.Lab.Hosting;

/// <summary>A lab server's slow answer: the request waits on the lab's clock before it is served.</summary>
internal static class SlowAnswer
{
    /// <summary>Waits <paramref name="delay"/>; false when the client gave up first (nothing is left to answer).</summary>
    public static async Task<bool> WaitAsync(TimeSpan delay, TimeProvider time, HttpContext context)
    {
        try
        {
            await Task.Delay(delay, time, context.RequestAborted);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
