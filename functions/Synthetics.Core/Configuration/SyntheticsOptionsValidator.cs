using Microsoft.Extensions.Options;
using Synthetics.Probes;
using Synthetics.Targets;

namespace Synthetics.Configuration;

/// <summary>Validates the whole section at start, with the same rules and messages as the CLI.</summary>
internal sealed class SyntheticsOptionsValidator(IEnumerable<IProbe> probes) : IValidateOptions<SyntheticsOptions>
{
    public ValidateOptionsResult Validate(string? name, SyntheticsOptions options)
    {
        try
        {
            TargetCatalogBuilder.Build(options, probes);
            return ValidateOptionsResult.Success;
        }
        catch (ConfigurationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Errors);
        }
    }
}
