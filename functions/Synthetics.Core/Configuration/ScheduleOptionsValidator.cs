using Microsoft.Extensions.Options;
using Synthetics.Scheduling;

namespace Synthetics.Configuration;

/// <summary>
/// The section's schedules parse as six-field NCRONTAB (seconds first): a timer trigger reading a bad one would never fire,
/// and the generic host's scheduler would fail at its first tick instead of at start.
/// </summary>
internal sealed class ScheduleOptionsValidator : IValidateOptions<SyntheticsOptions>
{
    public ValidateOptionsResult Validate(string? name, SyntheticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        Check(nameof(SyntheticsOptions.ProbeSchedule), options.ProbeSchedule, builder);
        Check(nameof(SyntheticsOptions.EvaluationSchedule), options.EvaluationSchedule, builder);
        Check(nameof(SyntheticsOptions.RetentionSchedule), options.RetentionSchedule, builder);
        Check(nameof(SyntheticsOptions.DiscoverySchedule), options.DiscoverySchedule, builder);
        Check(nameof(SyntheticsOptions.MaintenanceSchedule), options.MaintenanceSchedule, builder);
        return builder.Build();
    }

    private static void Check(string setting, string expression, ValidateOptionsResultBuilder builder)
    {
        if (CronSchedule.TryParse(expression, out var error) is null)
        {
            builder.AddError($"{SyntheticsOptions.SectionName}:{setting} {error}");
        }
    }
}
