using System.Globalization;
using Synthetics.Configuration;
using Synthetics.Lab.Scenarios;
using Synthetics.Scheduling;

namespace Synthetics.Cli.Demo;

/// <summary>
/// One demo (or scenario test, or benchmark run): a lab scenario and one time scale. Nothing else is chosen here: the
/// product runs its shipped defaults (probe cycle at second 0 of each minute, canary holding 40 s, evaluation at second
/// 30, one-minute window…) and the lab its scenario's own timings, every duration of both divided by
/// <see cref="TimeScale"/>, so a faster run keeps the production structure. How long to wait is derived from them.
/// </summary>
internal sealed record DemoSettings
{
    /// <summary>
    /// The demo's time scale: a minute of the product becomes 12 s, so march-12 (a 10-minute fault) shows its incident
    /// open and resolve in about three minutes. 5 keeps the canary's 15 s Lease a whole number of seconds (3), which the
    /// Kubernetes Lease object carries as an integer (leaseDurationSeconds).
    /// </summary>
    public const double DefaultTimeScale = 5;

    // The shipped defaults everything here is derived from.
    private static readonly SyntheticsOptions Shipped = new();

    /// <summary>The scenarios the demo offers.</summary>
    public static IReadOnlyList<string> Scenarios { get; } = [LabScenarios.March12, LabScenarios.VantageBlip, LabScenarios.Healthy];

    /// <summary>The lab scenario played. Default march-12.</summary>
    public string Scenario { get; init; } = LabScenarios.March12;

    /// <summary>How many times faster than production the product and the lab run (&gt; 0, ≤ 100). Default <see cref="DefaultTimeScale"/>.</summary>
    public double TimeScale { get; init; } = DefaultTimeScale;

    /// <summary>Seed of the lab's NodeBalancers (which connections stall, reset, when cuts fall); null keeps the lab's.</summary>
    public int? Seed { get; init; }

    /// <summary>
    /// Run exactly this long (the <c>--minutes</c> option, real time). Null (default): stop once the fault window has
    /// passed, a window has seen the recovery and no incident is open, or at <see cref="Deadline"/>.
    /// </summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>
    /// march-12: how long the fleet change takes to reach every NodeBalancer instance, in product time (each open flow
    /// dies when its instance is replaced); null keeps the scenario's (half its window), zero drops every flow at once.
    /// </summary>
    public TimeSpan? FleetChangeRollout { get; init; }

    /// <summary>
    /// Where the evidence report of every incident the run opened is written (HTML and JSON, one pair per incident), or
    /// null for none (the warm-up, benchmarks). <c>demo</c> writes to <c>evidence/</c> in the current directory.
    /// </summary>
    public string? EvidenceDirectory { get; init; }

    /// <summary>
    /// When the trouble begins, from the lab's start: one detection window (three minutes), scaled, so the evaluator has
    /// judged healthy cycles past every vantage's cold start before anything breaks, as it has in production.
    /// </summary>
    public TimeSpan Onset => DetectionWindow;

    /// <summary>How long the trouble lasts: the scenario's own window (march-12 10 min, vantage-blip 3 min), scaled.</summary>
    public TimeSpan FaultWindow => Scaled(LabScenarios.DefaultWindow(Scenario));

    /// <summary>When the fault window ends, from the lab's start.</summary>
    public TimeSpan FaultEnd => Onset + FaultWindow;

    /// <summary>The product's probe schedule on this time scale.</summary>
    public CronSchedule ProbeSchedule => CronSchedule.Parse("Synthetics:ProbeSchedule", Shipped.ProbeSchedule, TimeScale);

    /// <summary>The product's evaluation schedule on this time scale.</summary>
    public CronSchedule EvaluationSchedule => CronSchedule.Parse("Synthetics:EvaluationSchedule", Shipped.EvaluationSchedule, TimeScale);

    /// <summary>Between two evaluations, real time.</summary>
    public TimeSpan EvaluationInterval => Period(EvaluationSchedule);

    /// <summary>Between two probe cycles, real time.</summary>
    public TimeSpan ProbeInterval => Period(ProbeSchedule);

    /// <summary>The detection window, real time.</summary>
    public TimeSpan DetectionWindow => Scaled(Shipped.Detection.Window);

    /// <summary>
    /// From the lab's start: the earliest a run without a fixed duration may stop: a whole window after the faults
    /// cleared, plus the evaluations that look at it.
    /// </summary>
    public TimeSpan EarliestStop => FaultEnd + DetectionWindow + (EvaluationInterval * 2);

    /// <summary>From the lab's start: the latest a run without a fixed duration stops, resolved or not.</summary>
    public TimeSpan Deadline => FaultEnd + DetectionWindow + (EvaluationInterval * (Shipped.Detection.ResolveAfter + 4));

    /// <summary>What the lab plays: the scenario's own timings on the same scale (the lab's scale multiplies durations).</summary>
    public LabScenarioOptions LabScenarioOptions => new()
    {
        Onset = Onset,
        TimeScale = 1 / TimeScale,
        FleetChangeRollout = FleetChangeRollout is { } rollout ? Scaled(rollout) : null,
    };

    /// <summary>The demo's defaults for <paramref name="scenario"/>, at <paramref name="timeScale"/>, running <paramref name="minutes"/> when given.</summary>
    public static DemoSettings For(string scenario, double? timeScale = null, double? minutes = null, int? seed = null) => new()
    {
        Scenario = scenario,
        TimeScale = timeScale ?? DefaultTimeScale,
        Duration = minutes is { } m ? TimeSpan.FromMinutes(m) : null,
        Seed = seed,
    };

    /// <summary>
    /// Settings layered over a vantage's lab config (keys like <c>Synthetics:Storage:ConnectionString</c>): where this
    /// demo stores, sends telemetry and reads the status page, and its time scale. No timing of its own.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string?>> Overrides(
        string storageConnectionString, string tablePrefix, string outboxDirectory, string telemetryConnectionString, Uri statusPage)
    {
        const string S = "Synthetics:";
        yield return new($"{S}TimeScale", TimeScale.ToString(CultureInfo.InvariantCulture));
        yield return new($"{S}Storage:ConnectionString", storageConnectionString);
        yield return new($"{S}Storage:ResultsByTimeTable", $"{tablePrefix}ByTime");
        yield return new($"{S}Storage:ResultsByTargetTable", $"{tablePrefix}ByTarget");
        yield return new($"{S}Storage:CyclesTable", $"{tablePrefix}Cycles");
        yield return new($"{S}Storage:IncidentsTable", $"{tablePrefix}Incidents");
        // Vantage names repeat across demos and tests: a shared default outbox would flush one run's results into another's tables.
        yield return new($"{S}Storage:OutboxDirectory", outboxDirectory);
        yield return new($"{S}Telemetry:ConnectionString", telemetryConnectionString);
        // Nothing should outlive the demo on disk: what the receiver did not take is not worth keeping.
        yield return new($"{S}Telemetry:OfflineStorage", "false");
        yield return new($"{S}Maintenance:StatusPageUrl", statusPage.ToString());
    }

    private TimeSpan Scaled(TimeSpan value) => value / TimeScale;

    private static TimeSpan Period(CronSchedule schedule)
    {
        var first = schedule.Next(CronSchedule.ScaleAnchor);
        return schedule.Next(first) - first;
    }
}
