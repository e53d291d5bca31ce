using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Synthetics.Configuration;

/// <summary>Reads the <c>Synthetics</c> section, from a config file (CLI) or any configuration (Function App settings).</summary>
public static class SyntheticsConfiguration
{
    /// <summary>Loads a JSON config file (DESIGN §5) as configuration.</summary>
    /// <exception cref="ConfigurationException">The file is missing or is not JSON.</exception>
    public static IConfiguration LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new ConfigurationException($"config file '{path}' does not exist");
        }

        try
        {
            // Parse once ourselves: the configuration provider's error for bad JSON does not say where.
            using (var document = JsonDocument.Parse(File.ReadAllBytes(fullPath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }))
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty(SyntheticsOptions.SectionName, out _))
                {
                    throw new ConfigurationException($"config file '{path}' has no top-level \"{SyntheticsOptions.SectionName}\" object");
                }
            }

            return new ConfigurationBuilder()
                .AddJsonFile(fullPath, optional: false, reloadOnChange: false)
                .Build();
        }
        catch (JsonException ex)
        {
            throw new ConfigurationException($"config file '{path}' is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})");
        }
        catch (IOException ex)
        {
            throw new ConfigurationException($"config file '{path}' cannot be read ({ex.GetType().Name})");
        }
    }

    /// <summary>
    /// Binds the <c>Synthetics</c> section. Unknown settings are errors, so a misspelt field is named
    /// instead of silently ignored.
    /// </summary>
    /// <exception cref="ConfigurationException">A value has the wrong type or a setting is unknown.</exception>
    public static SyntheticsOptions Bind(IConfiguration configuration, string? baseDirectory) =>
        Populate(configuration, new SyntheticsOptions(), baseDirectory);

    /// <summary>
    /// Binds the <c>Synthetics</c> section onto <paramref name="options"/> (the options pattern's instance, freshly
    /// constructed), then applies <see cref="SyntheticsOptions.TimeScale"/> to it: the one place durations are scaled.
    /// </summary>
    /// <exception cref="ConfigurationException">A value has the wrong type, a setting is unknown or the time scale is out of range.</exception>
    public static SyntheticsOptions Populate(IConfiguration configuration, SyntheticsOptions options, string? baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            configuration.GetSection(SyntheticsOptions.SectionName).Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new ConfigurationException(Describe(ex));
        }

        options.BaseDirectory ??= baseDirectory;
        // Defaults and configured values alike: what the rest of the product reads is already on the scaled timeline.
        return TimeScaling.Apply(options, options.TimeScale);
    }

    // The binder's messages name the configuration path and the property; they never include values of other keys.
    // The outer exception only says binding failed; the inner ones say where.
    private static string Describe(InvalidOperationException ex)
    {
        var messages = new List<string>();
        for (Exception? current = ex; current is not null; current = current.InnerException)
        {
            if (current is InvalidOperationException && !current.Message.StartsWith("'ErrorOnUnknownConfiguration' was set and binding has failed", StringComparison.Ordinal))
            {
                messages.Add(current.Message.TrimEnd('.'));
            }
        }

        return messages.Count > 0 ? string.Join(": ", messages) : ex.Message;
    }
}
