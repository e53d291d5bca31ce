using Synthetics.Threading;

namespace Synthetics.Core.Tests.Threading;

public sealed class DedicatedThreadTests
{
    [Fact]
    public async Task RunAsync_Work_RunsOutsideTheThreadPoolOnANamedBackgroundThread()
    {
        var (poolThread, background, name) = await DedicatedThread.RunAsync(
            "telemetry flush", () => (Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.IsBackground, Thread.CurrentThread.Name));

        Assert.False(poolThread);
        Assert.True(background);
        Assert.Equal("telemetry flush", name);
    }

    [Fact]
    public async Task RunAsync_WorkThrows_TheTaskFaultsWithItsException()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => DedicatedThread.RunAsync<int>("failing", () => throw new InvalidOperationException("export failed")));

        Assert.Equal("export failed", error.Message);
    }

    [Fact]
    public async Task RunAsync_CancelledWhileBlocked_StopsWaitingAndTheWorkStillFinishes()
    {
        using var release = new ManualResetEventSlim();
        using var cancel = new CancellationTokenSource();
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = DedicatedThread.RunAsync("held", () =>
        {
            release.Wait(TimeSpan.FromSeconds(30));
            finished.SetResult();
            return true;
        }, cancel.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.False(finished.Task.IsCompleted);

        release.Set();
        await finished.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
