using Synthetics.Maintenance;

namespace Synthetics.Pipeline;

/// <summary>What one <see cref="MaintenanceCycle"/> run did.</summary>
/// <param name="At">When the run started.</param>
/// <param name="Upcoming">Scheduled maintenances that touch a monitored region and start within <c>WarnAhead</c>.</param>
/// <param name="Sent">The warnings this app sent (each maintenance and stage is sent by one app only).</param>
/// <param name="FailedStatus">The table service's HTTP status when the run failed (0: no response); null when it ran.</param>
public sealed record MaintenanceRun(DateTimeOffset At, int Upcoming, IReadOnlyList<MaintenanceWarning> Sent, int? FailedStatus);
