namespace Synthetics.Lab.Scenarios;

/// <summary>
/// When a <see cref="LabScenarios">scenario</see> starts and how long its parts last. Defaults suit a person watching
/// a demo (trouble 30 s after start, windows of minutes); tests shorten them with <see cref="Onset"/> and
/// <see cref="TimeScale"/>.
/// </summary>
public sealed class LabScenarioOptions
{
    /// <summary>Offset from the region's start at which the trouble begins. Default 30 s; zero or more.</summary>
    public TimeSpan Onset { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Factor applied to every default duration of a scenario (fault window, stall, cut range), so one knob shrinks
    /// a ten-minute incident into seconds with the same shape. Greater than 0. Default 1. Explicit
    /// <see cref="Window"/> and <see cref="StallDuration"/> are used as given, not scaled.
    /// </summary>
    public double TimeScale { get; init; } = 1;

    /// <summary>
    /// How long the trouble lasts, overriding the scenario's default × <see cref="TimeScale"/>
    /// (march-12 10 min, vantage-blip 3 min, backend-down 5 min). Null (default) keeps the scenario's.
    /// </summary>
    public TimeSpan? Window { get; init; }

    /// <summary>
    /// march-12: how long a stalled connection gets nothing. Default 12 s × <see cref="TimeScale"/>, never longer than
    /// the window.
    /// </summary>
    public TimeSpan? StallDuration { get; init; }

    /// <summary>
    /// march-12: how long the fleet change takes to reach every NodeBalancer instance; each open flow is dropped when its
    /// instance is replaced, at a random moment within it (<see cref="Faults.FaultPlan.DropOpenFlowsOver"/>). Default
    /// half the window; <see cref="TimeSpan.Zero"/> drops every open flow at the onset, all at once. Used as given, not scaled.
    /// </summary>
    public TimeSpan? FleetChangeRollout { get; init; }

    /// <summary>vantage-blip: the vantage that loses its path. Default the region's second vantage (the only one if there is one).</summary>
    public string? Vantage { get; init; }

    /// <summary>backend-down: index of the web backend that goes down. Default 0.</summary>
    public int BackendIndex { get; init; }

    /// <summary>The first setting that is out of range, as a message naming it, or null when all are valid.</summary>
    public string? Validate()
    {
        if (Onset < TimeSpan.Zero)
        {
            return "Onset must not be negative";
        }

        if (double.IsNaN(TimeScale) || double.IsInfinity(TimeScale) || TimeScale <= 0)
        {
            return "TimeScale must be a positive number";
        }

        if (Window is { } window && window <= TimeSpan.Zero)
        {
            return "Window must be positive";
        }

        if (StallDuration is { } stall && stall < TimeSpan.Zero)
        {
            return "StallDuration must not be negative";
        }

        if (FleetChangeRollout is { } rollout && rollout < TimeSpan.Zero)
        {
            return "FleetChangeRollout must not be negative";
        }

        return BackendIndex < 0 ? "BackendIndex must not be negative" : null;
    }

    /// <summary>A scenario's default duration after <see cref="TimeScale"/>, never below one millisecond.</summary>
    internal TimeSpan Scale(TimeSpan value) =>
        TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (long)(value.Ticks * TimeScale)));

    /// <summary>The fault window: <see cref="Window"/> or the scenario's default, scaled.</summary>
    internal TimeSpan WindowOr(TimeSpan scenarioDefault) => Window ?? Scale(scenarioDefault);
}
