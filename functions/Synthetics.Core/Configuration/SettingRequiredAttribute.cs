using System.ComponentModel.DataAnnotations;

namespace Synthetics.Configuration;

/// <summary>
/// A setting that must have a value (not empty, not only spaces), checked by the generated options validators; the
/// message names its configuration path: <c>Synthetics:VantagePoint is required</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
internal sealed class SettingRequiredAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return value is null || (value is string text && string.IsNullOrWhiteSpace(text))
            ? new ValidationResult($"{SettingPath.Of(validationContext)} is required")
            : ValidationResult.Success;
    }
}
