using System.Globalization;
using Microsoft.Extensions.Options;
using Synthetics.Probes;

namespace Synthetics.Maintenance;

/// <summary>
/// Checks <c>Synthetics:Maintenance</c>, run by the section's generated validator. A status page URL that is not one
/// would silently turn maintenance look-ups off (only an empty one is meant to), and a non-positive timeout would fail
/// every look-up at run time instead of at start.
/// </summary>
internal sealed class MaintenanceOptionsValidator : IValidateOptions<MaintenanceOptions>
{
    private const string Section = "Synthetics:Maintenance";

    public ValidateOptionsResult Validate(string? name, MaintenanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        if (!string.IsNullOrWhiteSpace(options.StatusPageUrl)
            && (!Uri.TryCreate(options.StatusPageUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            builder.AddError($"{Section}:StatusPageUrl '{options.StatusPageUrl}' is not an absolute http or https URL (empty turns look-ups off)");
        }

        if (double.IsNaN(options.TimeoutSeconds) || options.TimeoutSeconds <= 0 || options.TimeoutSeconds > ProbingOptions.MaxSeconds)
        {
            builder.AddError($"{Section}:TimeoutSeconds must be > 0 and ≤ {ProbingOptions.MaxSeconds.ToString(CultureInfo.InvariantCulture)} (was {options.TimeoutSeconds.ToString(CultureInfo.InvariantCulture)})");
        }

        if (options.WarnShortlyBefore <= TimeSpan.Zero || options.WarnAhead <= options.WarnShortlyBefore)
        {
            builder.AddError($"{Section}:WarnShortlyBefore must be > 0 and less than {Section}:WarnAhead (were {options.WarnShortlyBefore} and {options.WarnAhead})");
        }

        if (options.ChangeLookback <= TimeSpan.Zero || options.ChangeLookback > TimeSpan.FromDays(90))
        {
            builder.AddError($"{Section}:ChangeLookback must be > 0 and at most 90 days (was {options.ChangeLookback})");
        }

        return builder.Build();
    }
}
