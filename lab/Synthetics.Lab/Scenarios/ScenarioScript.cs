using Synthetics.Lab.Faults;
using Synthetics.Lab.NodeBalancers;

namespace Synthetics.Lab.Scenarios;

/// <summary>
/// Writes a scenario onto a <see cref="ScenarioTimeline"/> while keeping a readable list of its steps, and reports
/// each step as it applies: the timeline's own fault steps only know "fault on X", which tells an operator nothing.
/// </summary>
internal sealed class ScenarioScript
{
    private readonly List<LabScenarioStep> _steps = [];
    private readonly Action<TimeSpan, string> _applied;

    /// <param name="applied">Called on the timeline's thread when a step applies: the offset it was due at, and what happened.</param>
    public ScenarioScript(Action<TimeSpan, string> applied)
    {
        _applied = applied;
    }

    public ScenarioTimeline Timeline { get; } = new();

    public IReadOnlyList<LabScenarioStep> Steps => _steps;

    /// <summary>A fault plan on a NodeBalancer (or one vantage of it) for <paramref name="duration"/>, reverted even on cancellation.</summary>
    public void Fault(TimeSpan at, TimeSpan duration, NodeBalancer nodeBalancer, FaultPlan plan, string? vantage, string description)
    {
        Timeline.AddFault(at, duration, nodeBalancer, plan, vantage);
        Add(at, duration, description);
        // Added after the fault at the same instant, so they run after it applies (and after it is reverted).
        Timeline.AddAction(at, description, () => _applied(at, description));
        Timeline.AddAction(at + duration, "end: " + description, () => _applied(at + duration, "ended: " + description));
    }

    /// <summary>A one-off change at <paramref name="at"/>.</summary>
    public void Action(TimeSpan at, string description, Func<CancellationToken, Task> apply)
    {
        Add(at, null, description);
        Timeline.AddAction(at, description, async cancellationToken =>
        {
            await apply(cancellationToken);
            _applied(at, description);
        });
    }

    /// <summary>A one-off change at <paramref name="at"/>.</summary>
    public void Action(TimeSpan at, string description, Action apply) =>
        Action(at, description, _ =>
        {
            apply();
            return Task.CompletedTask;
        });

    /// <summary>
    /// A change at <paramref name="at"/> undone <paramref name="duration"/> later. Unlike <see cref="Fault"/>, a
    /// cancelled run does not undo it: the region resets everything when it switches scenario.
    /// </summary>
    public void Window(
        TimeSpan at, TimeSpan duration, string description, Func<CancellationToken, Task> start, Func<CancellationToken, Task> end)
    {
        Add(at, duration, description);
        Timeline.AddAction(at, description, async cancellationToken =>
        {
            await start(cancellationToken);
            _applied(at, description);
        });
        Timeline.AddAction(at + duration, "end: " + description, async cancellationToken =>
        {
            await end(cancellationToken);
            _applied(at + duration, "ended: " + description);
        });
    }

    private void Add(TimeSpan at, TimeSpan? duration, string description) =>
        _steps.Add(new LabScenarioStep(at, duration, description));
}
