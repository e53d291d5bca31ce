using Synthetics.Lab.Scenarios;

namespace Synthetics.Lab.Region;

public sealed partial class LabRegion
{
    private readonly SemaphoreSlim _scenarioSwitch = new(1, 1);
    private readonly Lock _scenarioGate = new();
    private readonly List<string> _maintenances = [];
    private ScenarioRun? _scenario;

    /// <summary>The scenario playing now.</summary>
    public string Scenario => CurrentRun.Name;

    /// <summary>When the scenario playing now started (its steps' offsets count from here).</summary>
    public DateTimeOffset ScenarioStartedAt => CurrentRun.StartedAt;

    /// <summary>The steps of the scenario playing now.</summary>
    public IReadOnlyList<LabScenarioStep> ScenarioSteps => CurrentRun.Steps;

    /// <summary>The steps applied so far in the scenario playing now, in order.</summary>
    public IReadOnlyList<LabScenarioEvent> AppliedScenarioSteps
    {
        get
        {
            lock (_scenarioGate)
            {
                return [.. CurrentRun.Applied];
            }
        }
    }

    /// <summary>Completes when the scenario playing now has run its last step (or was stopped).</summary>
    public Task ScenarioCompletion => CurrentRun.Completion;

    private ScenarioRun CurrentRun
    {
        get
        {
            lock (_scenarioGate)
            {
                return _scenario ?? throw NotStarted();
            }
        }
    }

    /// <summary>
    /// Stops the scenario playing now (its faults revert), puts the region back to healthy (faults cleared, backends
    /// up, scenario maintenances removed) and plays <paramref name="name"/> from now. <c>cert-expiring</c> shapes the
    /// web backends' certificate at start, so switching to or from it throws <see cref="InvalidOperationException"/>;
    /// an unknown name throws <see cref="ArgumentException"/>.
    /// </summary>
    public async Task SwitchScenarioAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!LabScenarios.IsKnown(name))
        {
            throw LabScenarios.Unknown(name);
        }

        await _scenarioSwitch.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            var previous = Scenario;
            if (name != previous && (LabScenarios.NeedsRestart(name) || LabScenarios.NeedsRestart(previous)))
            {
                throw new InvalidOperationException(
                    $"Switching between '{previous}' and '{name}' needs a restart: the web backends' certificate is issued at start.");
            }

            await StopScenarioAsync();
            await ResetToHealthyAsync(cancellationToken);
            StartScenario(name);
            LabRegionLog.ScenarioSwitched(_logger, previous, name);
        }
        finally
        {
            _scenarioSwitch.Release();
        }
    }

    /// <summary>Remembers a maintenance a scenario posted, so switching scenario can take it down again.</summary>
    internal void TrackMaintenance(string maintenanceId)
    {
        lock (_scenarioGate)
        {
            _maintenances.Add(maintenanceId);
        }
    }

    private void StartScenario(string name)
    {
        ScenarioRun? run = null;
        var script = new ScenarioScript((offset, description) => OnStepApplied(run!, offset, description));
        LabScenarios.Write(name, script, this, _options.ScenarioOptions);
        run = new ScenarioRun(name, script.Steps, TimeProvider.GetUtcNow());
        lock (_scenarioGate)
        {
            _scenario = run;
        }

        // The timeline takes its start instant synchronously, here; without a synchronization context its steps run
        // on the clock's thread, so a FakeTimeProvider's Advance applies them before it returns.
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            run.Completion = PlayAsync(run, script);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private async Task PlayAsync(ScenarioRun run, ScenarioScript script)
    {
        try
        {
            await script.Timeline.RunAsync(TimeProvider, run.Stopping.Token);
        }
        catch (OperationCanceledException) when (run.Stopping.IsCancellationRequested)
        {
            // Stopped by a switch or by disposal; the timeline has reverted its faults.
        }
#pragma warning disable CA1031 // A background run has nobody to throw to: the failure is logged and the region stays up.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LabRegionLog.ScenarioFailed(_logger, ex, run.Name);
        }
    }

    private void OnStepApplied(ScenarioRun run, TimeSpan offset, string description)
    {
        var applied = new LabScenarioEvent(run.Name, offset, TimeProvider.GetUtcNow(), description);
        lock (_scenarioGate)
        {
            run.Applied.Add(applied);
        }

        LabRegionLog.StepApplied(_logger, run.Name, offset, description);
        _options.ScenarioStepApplied?.Invoke(applied);
    }

    private async Task StopScenarioAsync()
    {
        ScenarioRun? run;
        lock (_scenarioGate)
        {
            run = _scenario;
        }

        if (run is null || run.Stopping.IsCancellationRequested)
        {
            return;
        }

        await run.Stopping.CancelAsync();
        await run.Completion;
        run.Stopping.Dispose();
    }

    private async Task ResetToHealthyAsync(CancellationToken cancellationToken)
    {
        foreach (var nodeBalancer in _nodeBalancers.Values)
        {
            nodeBalancer.ClearFaults();
        }

        for (var i = 0; i < WebBackends.Names.Count; i++)
        {
            if (!WebBackends.IsRunning(i) || !WebNodeBalancer.Backends[i].IsUp)
            {
                await SetWebBackendUpAsync(i, isUp: true, cancellationToken);
            }
        }

        string[] maintenances;
        lock (_scenarioGate)
        {
            maintenances = [.. _maintenances];
            _maintenances.Clear();
        }

        foreach (var maintenanceId in maintenances)
        {
            StatusPage.Model.RemoveMaintenance(maintenanceId);
        }

        // The account starts quiet again, and both provider APIs answer well.
        LinodeApi.Model.ClearAccountActivity();
        LinodeApi.Fault = Lab.LinodeApi.LinodeApiFault.None;
        StatusPage.Fault = Lab.StatusPage.StatusPageFault.None;
    }

    /// <summary>One play of a scenario: its steps, what has applied, and how to stop it.</summary>
    private sealed class ScenarioRun(string name, IReadOnlyList<LabScenarioStep> steps, DateTimeOffset startedAt)
    {
        public string Name { get; } = name;

        public IReadOnlyList<LabScenarioStep> Steps { get; } = steps;

        public DateTimeOffset StartedAt { get; } = startedAt;

        public List<LabScenarioEvent> Applied { get; } = [];

        public CancellationTokenSource Stopping { get; } = new();

        public Task Completion { get; set; } = Task.CompletedTask;
    }
}
