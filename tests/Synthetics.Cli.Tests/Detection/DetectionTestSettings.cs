using Synthetics.Cli.Demo;

namespace Synthetics.Cli.Tests.Detection;

/// <summary>
/// Demo timings shortened for tests: trouble 5 s after start for 80 s (the incident must open while the maintenance is in progress), probes and evaluations every 5 s, a 45 s window
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
        FaultWindow = TimeSpan.FromSeconds(80),
        ProbeSchedule = "*/5 * * * * *",
        EvaluationSchedule = "*/5 * * * * *",
        EffectiveEvaluationInterval = TimeSpan.FromSeconds(25),
        DetectionWindow = TimeSpan.FromSeconds(45),
        ResolveAfter = 2,
        CanaryHoldSeconds = 1,
        ApiCallTimeoutSeconds = 2,
        CycleBudgetSeconds = 5,
    };
}
