namespace Synthetics.Detection;

/// <summary>What an evaluation concluded for a target at a vantage point.</summary>
public enum HealthState
{
    /// <summary>No result in the window.</summary>
    NoData,

    Healthy,

    /// <summary>Intermittent failures or slowness: the March-12 shape.</summary>
    Degraded,

    Down,
}
