using Synthetics.Cli.Demo;
using Xunit.Abstractions;

namespace Synthetics.Cli.Tests.Detection;

/// <summary>
/// Demo timings shortened for tests: trouble 5 s after start for 65 s (the incident must open while the maintenance is in progress), probes and evaluations every 5 s, a 45 s window
/// (an evaluation stands every 25 s: evaluators skip within half a window of the last one), two good evaluations to
/// resolve instead of three to keep the test near two minutes. The canary's 1 s hold plus its 2 s API timeout and
/// 2 s margin fit the 5 s cycle budget.
/// </summary>
internal static class DetectionTestSettings
{
    public static DemoSettings For(string scenario) => new()
    {
        Scenario = scenario,
        Onset = TimeSpan.FromSeconds(5),
        FaultWindow = TimeSpan.FromSeconds(65),
        ProbeSchedule = "*/5 * * * * *",
        EvaluationSchedule = "*/5 * * * * *",
        EffectiveEvaluationInterval = TimeSpan.FromSeconds(25),
        DetectionWindow = TimeSpan.FromSeconds(45),
        ResolveAfter = 2,
        CanaryHoldSeconds = 1,
        ApiCallTimeoutSeconds = 2,
        CycleBudgetSeconds = 5,
    };

    /// <summary>Plays <paramref name="settings"/> within <paramref name="limit"/>, logging what the demo printed and its summary.</summary>
    public static async Task<(DemoSummary Summary, string Output)> PlayAsync(
        DemoSettings settings, string storageConnectionString, ITestOutputHelper log, TimeSpan limit)
    {
        var output = new StringWriter();
        using var stop = new CancellationTokenSource(limit);
        var summary = await DemoRun.RunAsync(settings, storageConnectionString, output, output, stop.Token);
        log.WriteLine(output.ToString());
        log.WriteLine(summary.Format());
        return (summary, output.ToString());
    }
}
