using Microsoft.Extensions.Options;

namespace Synthetics.Linode;

/// <summary>
/// Checks <c>Synthetics:Linode</c>, run by the section's generated validator: an API URL that is not one would fail every
/// discovery at run time instead of at start. The token is not checked here (only the API can tell), and never quoted.
/// </summary>
internal sealed class LinodeOptionsValidator : IValidateOptions<LinodeOptions>
{
    private const string Section = "Synthetics:Linode";

    public ValidateOptionsResult Validate(string? name, LinodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        if (!Uri.TryCreate(options.ApiUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            builder.AddError($"{Section}:ApiUrl '{options.ApiUrl}' is not an absolute http or https URL");
        }

        return builder.Build();
    }
}
