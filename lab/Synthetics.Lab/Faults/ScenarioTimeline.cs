using Synthetics.Lab.NodeBalancers;

namespace Synthetics.Lab.Faults;

/// <summary>
/// A scripted incident: "at T, for D, apply fault plan F to NodeBalancer N (optionally one vantage)", plus
/// one-off actions ("at T, put the status page into maintenance", "at T, stop backend 2"). Timed only through
/// the <see cref="TimeProvider"/> given to <see cref="RunAsync"/>, so a <c>FakeTimeProvider</c> replays it exactly.
/// </summary>
/// <remarks>
/// Ending a fault step clears the scope it set: the NodeBalancer-wide plan goes back to
/// <see cref="FaultPlan.None"/> (vantage plans untouched), or the vantage's own plan is removed. Steps on the
/// same scope should therefore not overlap; where one ends at the instant another starts, the end runs first.
/// </remarks>
public sealed class ScenarioTimeline
{
    private readonly List<ScenarioStep> _steps = [];

    /// <summary>Steps in the order they were added.</summary>
    public IReadOnlyList<ScenarioStep> Steps => _steps;

    /// <summary>Applies <paramref name="plan"/> at <paramref name="at"/> and clears it <paramref name="duration"/> later.</summary>
    public ScenarioTimeline AddFault(
        TimeSpan at, TimeSpan duration, NodeBalancer nodeBalancer, FaultPlan plan, string? vantage = null)
    {
        ArgumentNullException.ThrowIfNull(nodeBalancer);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThan(at, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        if (plan.Validate() is { } error)
        {
            throw new ArgumentException($"{error.Field}: {error.Message}", nameof(plan));
        }

        if (vantage is not null)
        {
            // Fail while the scenario is being written, not minutes into the run.
            _ = nodeBalancer.GetEndpoint(vantage);
        }

        var scope = vantage is null ? nodeBalancer.Name : $"{nodeBalancer.Name}/{vantage}";
        _steps.Add(new ScenarioStep(
            at,
            duration,
            $"fault on {scope}",
            _ =>
            {
                nodeBalancer.SetFaultPlan(plan, vantage);
                return Task.CompletedTask;
            },
            _ =>
            {
                if (vantage is null)
                {
                    nodeBalancer.SetFaultPlan(FaultPlan.None);
                }
                else
                {
                    nodeBalancer.ClearFaults(vantage);
                }

                return Task.CompletedTask;
            }));
        return this;
    }

    /// <summary>Runs <paramref name="action"/> once at <paramref name="at"/>.</summary>
    public ScenarioTimeline AddAction(TimeSpan at, string description, Func<CancellationToken, Task> action)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(at, TimeSpan.Zero);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentNullException.ThrowIfNull(action);
        _steps.Add(new ScenarioStep(at, null, description, action, null));
        return this;
    }

    /// <summary>Runs <paramref name="action"/> once at <paramref name="at"/>.</summary>
    public ScenarioTimeline AddAction(TimeSpan at, string description, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return AddAction(at, description, _ =>
        {
            action();
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// Plays the timeline from now; completes after the last step (or its end) ran. On cancellation or a
    /// failing step, fault steps still in force are reverted before the task ends, so no fault outlives its run.
    /// </summary>
    public async Task RunAsync(TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var events = _steps
            .SelectMany((step, index) => Expand(step, index))
            .OrderBy(e => e.At)
            .ThenBy(e => e.IsRevert ? 0 : 1)
            .ThenBy(e => e.Index)
            .ToList();

        var start = timeProvider.GetTimestamp();
        var active = new HashSet<ScenarioStep>(ReferenceEqualityComparer.Instance);
        try
        {
            foreach (var scheduled in events)
            {
                // Measured from the start each time, so time spent in earlier steps does not push later ones back.
                var wait = scheduled.At - timeProvider.GetElapsedTime(start);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, timeProvider, cancellationToken);
                }

                if (scheduled.IsRevert)
                {
                    active.Remove(scheduled.Step);
                    await scheduled.Step.Revert!(cancellationToken);
                }
                else
                {
                    await scheduled.Step.Apply(cancellationToken);
                    if (scheduled.Step.Revert is not null)
                    {
                        active.Add(scheduled.Step);
                    }
                }
            }
        }
        finally
        {
            foreach (var step in active)
            {
                await step.Revert!(CancellationToken.None);
            }
        }
    }

    private static IEnumerable<ScheduledEvent> Expand(ScenarioStep step, int index)
    {
        yield return new ScheduledEvent(step.At, IsRevert: false, index, step);
        if (step is { Duration: { } duration, Revert: not null })
        {
            yield return new ScheduledEvent(step.At + duration, IsRevert: true, index, step);
        }
    }

    private sealed record ScheduledEvent(TimeSpan At, bool IsRevert, int Index, ScenarioStep Step);
}
