using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;
using Synthetics.Functions;

namespace Synthetics;

/// <summary>What the Function App adds to <c>AddSynthetics</c> (in this namespace so its Program.cs needs no other using).</summary>
internal static class FunctionAppServiceCollectionExtensions
{
    /// <summary>Refuses a <c>Synthetics:TimeScale</c> other than 1 at start (see <see cref="RealTimeOnly"/>).</summary>
    public static IServiceCollection AddRealTimeOnly(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SyntheticsOptions>, RealTimeOnly>());
        return services;
    }
}
