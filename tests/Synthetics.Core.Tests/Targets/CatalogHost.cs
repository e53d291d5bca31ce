using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;
using Synthetics.Targets;

namespace Synthetics.Core.Tests.Targets;

/// <summary>
/// The target catalog as a host composed by <c>AddSynthetics</c> builds it: binding, every start-up validator, the
/// catalog factory and the registered probes. A validation failure comes back as the <see cref="ConfigurationException"/>
/// the CLI turns it into, one error per field.
/// </summary>
internal static class CatalogHost
{
    /// <summary>The catalog of <paramref name="configuration"/>'s <c>Synthetics</c> section, after <paramref name="adjust"/>.</summary>
    public static IReadOnlyList<Target> Build(
        IConfiguration configuration, string? baseDirectory, Action<SyntheticsOptions>? adjust = null, Action<IServiceCollection>? configureServices = null)
    {
        var services = new ServiceCollection().AddSynthetics(configuration, baseDirectory);
        if (adjust is not null)
        {
            services.PostConfigure(adjust);
        }

        configureServices?.Invoke(services);
        using var provider = services.BuildServiceProvider();
        try
        {
            return provider.GetRequiredService<TargetCatalog>().Targets;
        }
        catch (OptionsValidationException ex)
        {
            throw new ConfigurationException([.. ex.Failures]);
        }
    }

    /// <summary>The catalog of a config file, relative paths resolved against its directory.</summary>
    public static IReadOnlyList<Target> Build(string configPath, Action<SyntheticsOptions>? adjust = null) =>
        Build(SyntheticsConfiguration.LoadFile(configPath), Path.GetDirectoryName(configPath), adjust);

    /// <summary>
    /// The one target of a config file whose kubeconfig or CA bundle cannot be had: the host starts, probes nothing of
    /// it, and says why.
    /// </summary>
    public static UnresolvedTarget Unresolved(string configPath)
    {
        using var provider = new ServiceCollection()
            .AddSynthetics(SyntheticsConfiguration.LoadFile(configPath), Path.GetDirectoryName(configPath))
            .BuildServiceProvider();
        var catalog = provider.GetRequiredService<TargetCatalog>();
        Assert.Empty(catalog.Targets);
        return Assert.Single(catalog.Unresolved);
    }

    /// <summary>The catalog of the default settings changed by <paramref name="configure"/>.</summary>
    public static IReadOnlyList<Target> Build(Action<SyntheticsOptions> configure) =>
        Build(new ConfigurationBuilder().Build(), baseDirectory: null, configure);
}
