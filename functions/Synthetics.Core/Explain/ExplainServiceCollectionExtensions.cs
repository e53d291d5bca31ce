using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Synthetics.Explain;

/// <summary>Registers the explain stage (evidence and uptime reports) for every host; part of <c>AddSynthetics</c>.</summary>
public static class ExplainServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IEvidenceSource"/> and <see cref="IUptimeSource"/>; they need the store, the incident state, the status page and the target catalog.</summary>
    public static IServiceCollection AddExplain(this IServiceCollection services)
    {
        services.TryAddSingleton<IEvidenceSource, EvidenceBuilder>();
        services.TryAddSingleton<IUptimeSource, UptimeBuilder>();
        return services;
    }
}
