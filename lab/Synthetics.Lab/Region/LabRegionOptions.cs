using Microsoft.Extensions.Logging;
using Synthetics.Lab.Scenarios;

namespace Synthetics.Lab.Region;

/// <summary>How a <see cref="LabRegion"/> is built.</summary>
public sealed class LabRegionOptions
{
    /// <summary>The vantages every region uses unless told otherwise.</summary>
    public static IReadOnlyList<string> DefaultVantages { get; } = ["eu-west", "us-central", "asia-east"];

    /// <summary>
    /// Vantage point names; every NodeBalancer gets one listener per vantage. At least one, unique, each made of
    /// letters, digits and dashes (they become file names). Default eu-west, us-central, asia-east.
    /// </summary>
    public IReadOnlyList<string> Vantages { get; init; } = DefaultVantages;

    /// <summary>Seed of the NodeBalancers' random sources (which connections stall, reset, when cuts fall). Default 20240312.</summary>
    public int Seed { get; init; } = 20240312;

    /// <summary>Clock of every part and of the scenario. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The scenario played from start, one of <see cref="LabScenarios.Names"/>. Default <c>healthy</c>.</summary>
    public string Scenario { get; init; } = LabScenarios.Healthy;

    /// <summary>Onset, time scale and knobs of the scenario. Default: demo timings (onset 30 s).</summary>
    public LabScenarioOptions ScenarioOptions { get; init; } = new();

    /// <summary>Number of web backends behind the ca-central web NodeBalancer, 1–8. Default 3.</summary>
    public int WebBackendCount { get; init; } = 3;

    /// <summary>Called on the scenario's thread after each step applies (or a window ends). Default none.</summary>
    public Action<LabScenarioEvent>? ScenarioStepApplied { get; init; }

    /// <summary>
    /// Whether each cluster runs a bystander controller (cert-manager's leader election through its control-plane
    /// NodeBalancer's <c>in-cluster</c> listener, timings × <see cref="LabScenarioOptions.TimeScale"/>). Default true.
    /// </summary>
    public bool Bystanders { get; init; } = true;

    /// <summary>Logs for the region and its NodeBalancers. Default none.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
