using Microsoft.Extensions.Options;

namespace Synthetics.Detection;

/// <summary>
/// Checks <c>Synthetics:Detection</c>, run by the section's generated validator; each message names the setting. Written
/// by hand because most rules weigh one setting against another (degraded ≤ down).
/// </summary>
internal sealed class DetectionOptionsValidator : IValidateOptions<DetectionOptions>
{
    private const string Section = "Synthetics:Detection";

    public ValidateOptionsResult Validate(string? name, DetectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        if (options.Window <= TimeSpan.Zero)
        {
            builder.AddError($"{Section}:Window must be positive (was {options.Window})");
        }

        if (options.BaselineWindow < TimeSpan.Zero)
        {
            builder.AddError($"{Section}:BaselineWindow must not be negative");
        }

        if (options.BaselineWindow >= TimeSpan.Zero && (options.LongWindow < options.Window || options.LongWindow > options.Window + options.BaselineWindow))
        {
            builder.AddError($"{Section}:LongWindow must be at least Window and at most Window + BaselineWindow (was {options.LongWindow})");
        }

        if (options.PriorFailureRate is <= 0 or >= 1 || double.IsNaN(options.PriorFailureRate) || options.PriorAttempts < 1)
        {
            builder.AddError($"{Section}:PriorFailureRate must be in (0, 1) and {Section}:PriorAttempts at least 1");
        }

        if (!(options.ImmediateAlpha > 0 && options.ImmediateAlpha <= options.Alpha && options.Alpha <= options.SustainAlpha && options.SustainAlpha < 1))
        {
            builder.AddError($"{Section}:ImmediateAlpha, Alpha and SustainAlpha must be in (0, 1), ImmediateAlpha ≤ Alpha ≤ SustainAlpha");
        }

        if (!(options.InCycleAlpha >= options.ImmediateAlpha && options.InCycleAlpha <= options.Alpha))
        {
            builder.AddError($"{Section}:InCycleAlpha must be between ImmediateAlpha and Alpha (was {options.InCycleAlpha})");
        }

        if (options.SilentAfter <= TimeSpan.Zero)
        {
            builder.AddError($"{Section}:SilentAfter must be positive (was {options.SilentAfter})");
        }

        if (options.InCycleEvery < TimeSpan.Zero)
        {
            builder.AddError($"{Section}:InCycleEvery must not be negative (0 turns the look at cycles in progress off; was {options.InCycleEvery})");
        }

        if (options.SlowRunShare is <= 0 or > 1 || double.IsNaN(options.SlowRunShare))
        {
            builder.AddError($"{Section}:SlowRunShare must be in (0, 1] (was {options.SlowRunShare})");
        }

        if (options.DegradedFailureRatio is <= 0 or > 1 || options.DownFailureRatio is <= 0 or > 1 || options.DownFailureRatio < options.DegradedFailureRatio)
        {
            builder.AddError($"{Section}:DegradedFailureRatio and {Section}:DownFailureRatio must be in (0, 1], degraded ≤ down");
        }

        if (options.MinFailures < 1 || options.MinRunsForLatency < 1)
        {
            builder.AddError($"{Section}:MinFailures and {Section}:MinRunsForLatency must be at least 1");
        }

        if (options.LatencyFactor <= 1 || options.LatencyFloorMs < 0)
        {
            builder.AddError($"{Section}:LatencyFactor must be above 1 and {Section}:LatencyFloorMs not negative");
        }

        if (options.MinAgreeingVantages < 1 || options.RegionMinTargets < 1 || options.OpenAfter < 1 || options.ResolveAfter < 1)
        {
            builder.AddError($"{Section}:MinAgreeingVantages, RegionMinTargets, OpenAfter and ResolveAfter must be at least 1");
        }

        return builder.Build();
    }
}
