using Synthetics.Detection;

namespace Synthetics.Benchmarks;

/// <summary>What one seeded run of a scenario produced: every incident event, every evaluation's findings, and run counts.</summary>
internal sealed class DetectionRun
{
    /// <summary>The seed the run was drawn from.</summary>
    public int Seed { get; init; }

    public List<IncidentEvent> Events { get; } = [];

    /// <summary>Each evaluated minute's findings, in order.</summary>
    public List<(int Minute, IReadOnlyList<Finding> Findings)> Findings { get; } = [];

    /// <summary>Incidents still open when the simulation ended.</summary>
    public List<Incident> StillOpen { get; } = [];

    /// <summary>The fault's onset in simulated minutes (its second included), or null without a fault.</summary>
    public double? Onset { get; set; }

    public int Runs { get; set; }

    public int FailedRuns { get; set; }

    /// <summary>Canary and watch runs whose connection the fault's 30–90 s cut reached.</summary>
    public int HeldConnectionsCut { get; set; }
}
