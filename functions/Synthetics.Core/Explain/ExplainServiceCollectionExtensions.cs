using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Synthetics.Explain;

/// <summary>Registers the explain stage (evidence reports) for every host; part of <c>AddSynthetics</c>.</summary>
public static class ExplainServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IEvidenceSource"/>; it needs the store, the incident state, the status page and the target catalog.</summary>
    public static IServiceCollection AddExplain(this IServiceCollection services)
    {
        services.TryAddSingleton<IEvidenceSource, EvidenceBuilder>();
        return services;
    }
}
