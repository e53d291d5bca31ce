using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Synthetics.Configuration;

/// <summary>
/// A number setting's bounds, checked by the generated options validators. Unlike <see cref="RangeAttribute"/>, the
/// message names the setting's configuration path (and the target, for a target's field) and the value it had, the one
/// line the CLI prints: <c>Synthetics:Targets[2] 'ca-web': Port must be 1–65535 (was 70000)</c>. NaN is never in range;
/// an absent (null) value is, the setting's default applying.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
internal sealed class SettingRangeAttribute : ValidationAttribute
{
    /// <summary>At least <paramref name="minimum"/> (or above it, with <see cref="MinimumIsExclusive"/>), no upper bound.</summary>
    public SettingRangeAttribute(double minimum)
        : this(minimum, double.PositiveInfinity)
    {
    }

    /// <summary>From <paramref name="minimum"/> to <paramref name="maximum"/>, both included unless <see cref="MinimumIsExclusive"/>.</summary>
    public SettingRangeAttribute(double minimum, double maximum)
    {
        Minimum = minimum;
        Maximum = maximum;
    }

    public double Minimum { get; }

    public double Maximum { get; }

    /// <summary>Whether the value must be above <see cref="Minimum"/> rather than at least it (a duration must be positive).</summary>
    public bool MinimumIsExclusive { get; set; }

    /// <summary>The accepted values in words: <c>1–1024</c>, <c>&gt; 0 and ≤ 300</c>, <c>&gt; 0</c>, <c>≥ 0</c>.</summary>
    public string Bounds =>
        (MinimumIsExclusive, double.IsPositiveInfinity(Maximum)) switch
        {
            (false, false) => $"{Format(Minimum)}–{Format(Maximum)}",
            (true, false) => $"> {Format(Minimum)} and ≤ {Format(Maximum)}",
            (true, true) => $"> {Format(Minimum)}",
            (false, true) => $"≥ {Format(Minimum)}",
        };

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        if (value is null)
        {
            return ValidationResult.Success;
        }

        var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        var aboveMinimum = MinimumIsExclusive ? number > Minimum : number >= Minimum;
        if (aboveMinimum && number <= Maximum)
        {
            return ValidationResult.Success;
        }

        // No member names: the options validator would prefix them, and the message already says where.
        return new ValidationResult($"{SettingPath.Of(validationContext)} must be {Bounds} (was {Format(number)})");
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
