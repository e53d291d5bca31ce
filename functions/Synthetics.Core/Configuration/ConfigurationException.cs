namespace Synthetics.Configuration;

/// <summary>
/// The configuration cannot be used. The message names each field that is wrong
/// (e.g. <c>Synthetics:Targets[2] 'ca-web': Url is required for kind Http</c>) and never quotes secrets.
/// </summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(IReadOnlyList<string> errors)
        : base(Format(errors)) => Errors = errors;

    public ConfigurationException(string error)
        : this([error])
    {
    }

    public ConfigurationException()
        : this("The configuration is invalid.")
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException) => Errors = [message];

    /// <summary>One line per problem found.</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string Format(IReadOnlyList<string> errors) => errors.Count == 1
        ? $"Invalid configuration: {errors[0]}"
        : $"Invalid configuration ({errors.Count} problems):{Environment.NewLine}  - {string.Join($"{Environment.NewLine}  - ", errors)}";
}
