using Synthetics.Maintenance;

namespace Synthetics.Pipeline;

/// <summary>What one <see cref="MaintenanceCycle"/> run did.</summary>
/// <param name="At">When the run started.</param>
/// <param name="Upcoming">Scheduled maintenances and account notices that touch what is monitored and are due (within <c>WarnAhead</c>, or in effect).</param>
/// <param name="Sent">The warnings this app sent (each maintenance and stage is sent by one app only).</param>
/// <param name="FailedStatus">The table service's HTTP status when the run failed (0: no response); null when it ran.</param>
public sealed record MaintenanceRun(DateTimeOffset At, int Upcoming, IReadOnlyList<MaintenanceWarning> Sent, int? FailedStatus)
{
    /// <summary>Why the status page could not be read in this run, in one line; null when it was (or is off).</summary>
    public string? StatusPageFailure { get; init; }

    /// <summary>Why the account's notifications could not be read, in one line; null when they were (or no token is set).</summary>
    public string? AccountFailure { get; init; }
}
