using System.Globalization;
using Synthetics.Lab.Scenarios;

namespace Synthetics.Cli.Demo;

/// <summary>
/// Timings of one demo: the lab's scenario and the product's schedules and detection window, shortened together so an
/// incident opens and resolves within minutes. Every value is applied to all vantages.
/// </summary>
internal sealed record DemoSettings
{
    /// <summary>The scenarios the demo offers.</summary>
    public static IReadOnlyList<string> Scenarios { get; } = [LabScenarios.March12, LabScenarios.VantageBlip, LabScenarios.Healthy];

    /// <summary>The lab scenario played. Default march-12.</summary>
    public string Scenario { get; init; } = LabScenarios.March12;

    /// <summary>When the trouble begins, from the lab's start. Default 30 s: a baseline first.</summary>
    public TimeSpan Onset { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the trouble lasts. Default 90 s: long enough that the incident opens while the provider's maintenance is
    /// still in progress (the status page lists only upcoming and active ones), short enough for a four-minute demo.
    /// </summary>
    public TimeSpan FaultWindow { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Probe schedule of every vantage (six-field NCRONTAB). Default every 5 s.</summary>
    public string ProbeSchedule { get; init; } = "*/5 * * * * *";

    /// <summary>Evaluation schedule of every vantage; the vantages race, one evaluation stands. Default every 10 s.</summary>
    public string EvaluationSchedule { get; init; } = "*/10 * * * * *";

    /// <summary>
    /// How often an evaluation actually runs: an evaluator skips when another evaluated less than half a
    /// <see cref="DetectionWindow"/> ago, so with a 50 s window and 10 s ticks one evaluation stands every 30 s.
    /// Used only to size how long the demo waits for a resolution.
    /// </summary>
    public TimeSpan EffectiveEvaluationInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>Detection:Window</c>. Default 50 s: ten cycles of a 5 s schedule, and half of it (25 s, within which evaluators
    /// skip) not a multiple of the 10 s tick, so evaluations stand on a steady 30 s cadence. 30 s leaves too few runs per target ×
    /// vantage for march-12's intermittent faults (a share of connections) to show from two vantages on two targets.
    /// </summary>
    public TimeSpan DetectionWindow { get; init; } = TimeSpan.FromSeconds(50);

    /// <summary>
    /// The canary's hold and API call timeout (seconds); with the 2 s the canary adds they must fit
    /// <see cref="CycleBudgetSeconds"/>. Defaults 1 and 2, for a 5 s cycle.
    /// </summary>
    public double CanaryHoldSeconds { get; init; } = 1;

    /// <inheritdoc cref="CanaryHoldSeconds"/>
    public double ApiCallTimeoutSeconds { get; init; } = 2;

    /// <summary><c>Probing:CycleBudgetSeconds</c>: a cycle ends inside its schedule. Default 5.</summary>
    public double CycleBudgetSeconds { get; init; } = 5;

    /// <summary>
    /// Run exactly this long (the <c>--minutes</c> option). Null (default): stop once the fault window has passed, the
    /// window has seen the recovery and no incident is open, or at <see cref="Deadline"/>.
    /// </summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>
    /// <c>Detection:Settle</c>: how long before an evaluation its window ends. Default 5 s: the product's 10 s covers cycles of
    /// up to a minute still being written; the demo's cycles end within their 5 s budget and are stored within a second or two.
    /// </summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Consecutive good evaluations before an incident resolves (<c>Detection:ResolveAfter</c>, default kept).</summary>
    public int ResolveAfter { get; init; } = 3;

    /// <summary>When the fault window ends, from the lab's start.</summary>
    public TimeSpan FaultEnd => Onset + FaultWindow;

    /// <summary>From the lab's start: the earliest a run without a fixed duration may stop (recovery is in the window).</summary>
    public TimeSpan EarliestStop => FaultEnd + Settle + DetectionWindow + EffectiveEvaluationInterval;

    /// <summary>From the lab's start: the latest a run without a fixed duration stops, resolved or not.</summary>
    public TimeSpan Deadline => FaultEnd + Settle + DetectionWindow + (EffectiveEvaluationInterval * (ResolveAfter + 2));

    /// <summary>Seed of the lab's NodeBalancers (which connections stall, reset, when cuts fall); null keeps the lab's.</summary>
    public int? Seed { get; init; }

    /// <summary>
    /// The product's timings shortened further, for tests and benchmarks that play whole scenarios: trouble 15 s in,
    /// probes every 5 s, a 30 s window evaluated every 30 s, resolution after 3 good evaluations. As in the product (a
    /// one-minute window evaluated every minute), windows do not overlap: with overlapping windows one bad cycle counts
    /// in two evaluations in a row, and "open after two bad evaluations" no longer means two observations (a one-second
    /// stall of the process hosting the lab and every vantage would page).
    /// </summary>
    public static DemoSettings Accelerated(string scenario, TimeSpan faultWindow, TimeSpan? duration = null, int? seed = null) => new()
    {
        Scenario = scenario,
        Onset = TimeSpan.FromSeconds(15),
        FaultWindow = faultWindow,
        ProbeSchedule = "*/5 * * * * *",
        EvaluationSchedule = "0,30 * * * * *",
        DetectionWindow = TimeSpan.FromSeconds(30),
        EffectiveEvaluationInterval = TimeSpan.FromSeconds(30),
        Settle = TimeSpan.FromSeconds(5),
        Duration = duration,
        Seed = seed,
    };

    /// <summary>The demo's defaults for <paramref name="scenario"/>, running <paramref name="minutes"/> when given.</summary>
    public static DemoSettings For(string scenario, double? minutes) => new()
    {
        Scenario = scenario,
        Duration = minutes is { } m ? TimeSpan.FromMinutes(m) : null,
    };

    /// <summary>
    /// Settings layered over a vantage's lab config (keys like <c>Synthetics:Detection:Window</c>): storage, telemetry
    /// and the status page of this demo, and the shortened timings. <paramref name="kubernetesTargets"/> are the indexes
    /// of the config's KubernetesApi targets, whose canary must fit the shorter cycle.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string?>> Overrides(
        string storageConnectionString, string tablePrefix, string outboxDirectory, string telemetryConnectionString, Uri statusPage, IEnumerable<int> kubernetesTargets)
    {
        const string S = "Synthetics:";
        yield return new($"{S}ProbeSchedule", ProbeSchedule);
        yield return new($"{S}EvaluationSchedule", EvaluationSchedule);
        yield return new($"{S}Probing:CycleBudgetSeconds", Format(CycleBudgetSeconds));
        yield return new($"{S}Detection:Window", DetectionWindow.ToString("c", CultureInfo.InvariantCulture));
        yield return new($"{S}Detection:ResolveAfter", ResolveAfter.ToString(CultureInfo.InvariantCulture));
        yield return new($"{S}Storage:ConnectionString", storageConnectionString);
        yield return new($"{S}Storage:ResultsByTimeTable", $"{tablePrefix}ByTime");
        yield return new($"{S}Storage:ResultsByTargetTable", $"{tablePrefix}ByTarget");
        yield return new($"{S}Storage:IncidentsTable", $"{tablePrefix}Incidents");
        // Vantage names repeat across demos and tests: a shared default outbox would flush one run's results into another's tables.
        yield return new($"{S}Storage:OutboxDirectory", outboxDirectory);
        yield return new($"{S}Telemetry:ConnectionString", telemetryConnectionString);
        // Nothing should outlive the demo on disk: what the receiver did not take is not worth keeping.
        yield return new($"{S}Telemetry:OfflineStorage", "false");
        yield return new($"{S}Maintenance:StatusPageUrl", statusPage.ToString());
        foreach (var index in kubernetesTargets)
        {
            yield return new($"{S}Targets:{index}:CanaryHoldSeconds", Format(CanaryHoldSeconds));
            yield return new($"{S}Targets:{index}:ApiCallTimeoutSeconds", Format(ApiCallTimeoutSeconds));
        }
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
