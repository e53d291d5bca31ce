using Microsoft.Extensions.Options;
using Synthetics.Configuration;

namespace Synthetics.Probes;

/// <summary>
/// The sampler's rules across settings: known series names, an interval no longer than the period, and a period that
/// with the probe timeout fits the cycle budget (a sampler cut by the budget would report its cut, not the target).
/// </summary>
internal sealed class SamplingOptionsValidator : IValidateOptions<SyntheticsOptions>
{
    private const string Path = $"{ProbingOptions.SectionName}:{nameof(ProbingOptions.Sampling)}";

    public ValidateOptionsResult Validate(string? name, SyntheticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var probing = options.Probing;
        var sampling = probing?.Sampling;
        if (probing is null || sampling is null)
        {
            return ValidateOptionsResult.Skip;
        }

        var builder = new ValidateOptionsResultBuilder();
        var series = SamplingOptions.ParseSeries(sampling.Series);
        var unknown = series.Where(s => !SamplingOptions.KnownSeries.Contains(s, StringComparer.Ordinal)).ToArray();
        if (unknown.Length > 0 || (sampling.Enabled && series.Length == 0))
        {
            builder.AddError($"{Path}:{nameof(SamplingOptions.Series)} must list new and/or reused, comma-separated (was '{sampling.Series}')");
        }

        // Out of its own range, a setting is reported by its range alone.
        if (!sampling.Enabled || sampling.IntervalSeconds is not (> 0 and <= 60) || sampling.PeriodSeconds is not (> 0 and <= ProbingOptions.MaxSeconds)
            || probing.TimeoutSeconds is not (> 0 and <= ProbingOptions.MaxSeconds) || probing.CycleBudgetSeconds is not > 0)
        {
            return builder.Build();
        }

        if (sampling.IntervalSeconds > sampling.PeriodSeconds)
        {
            builder.AddError(Invariant(
                $"{Path}:{nameof(SamplingOptions.IntervalSeconds)} must be ≤ {nameof(SamplingOptions.PeriodSeconds)} ({sampling.PeriodSeconds}) (was {sampling.IntervalSeconds})"));
        }
        else if (sampling.PeriodSeconds + probing.TimeoutSeconds > probing.CycleBudgetSeconds)
        {
            builder.AddError(Invariant(
                $"{Path}:{nameof(SamplingOptions.PeriodSeconds)} plus {ProbingOptions.SectionName}:{nameof(ProbingOptions.TimeoutSeconds)} ({probing.TimeoutSeconds}) must fit in {nameof(ProbingOptions.CycleBudgetSeconds)} ({probing.CycleBudgetSeconds}) (was {sampling.PeriodSeconds})"));
        }

        return builder.Build();
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
