using Microsoft.Extensions.Options;
using Synthetics.Configuration;

namespace Synthetics.Functions;

/// <summary>
/// The Function App runs at the product's cadence only: its timer triggers read the NCRONTAB app settings directly, so
/// a <c>Synthetics:TimeScale</c> other than 1 would scale every duration but not the ticks. Refused at start (options are
/// validated on start), with one line naming the setting.
/// </summary>
internal sealed class RealTimeOnly : IValidateOptions<SyntheticsOptions>
{
    public ValidateOptionsResult Validate(string? name, SyntheticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.TimeScale == TimeScaling.RealTime
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Synthetics:TimeScale must be 1 in the Function App (was {options.TimeScale.ToString(System.Globalization.CultureInfo.InvariantCulture)}): " +
                "its timer triggers read the schedule app settings as they are; time scales are for the lab, demos and tests");
    }
}
