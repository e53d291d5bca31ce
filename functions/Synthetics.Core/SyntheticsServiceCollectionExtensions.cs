using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Synthetics.Alerts;
using Synthetics.Configuration;
using Synthetics.Detection;
using Synthetics.Discovery;
using Synthetics.Maintenance;
using Synthetics.Pipeline;
using Synthetics.Probes;
using Synthetics.Probes.Kubernetes;
using Synthetics.Probes.Sampling;
using Synthetics.Targets;

namespace Synthetics;

/// <summary>The one registration both hosts (Function App and CLI) use.</summary>
public static class SyntheticsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Synthetics services, bound to the <c>Synthetics</c> section of <paramref name="configuration"/>
    /// and validated at start: a bad target fails the host before any probe runs.
    /// </summary>
    public static IServiceCollection AddSynthetics(this IServiceCollection services, IConfiguration configuration, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSyntheticsOptions()
            .Configure(options => SyntheticsConfiguration.Populate(configuration, options, baseDirectory));
        services.AddProbes();
        Storage.ResultStorageServiceCollectionExtensions.AddResultStorage(services, configuration, baseDirectory);
        services.AddTargetCatalog();
        services.TryAddSingleton<ProbeCycleRunner>();
        services.AddDetection();
        services.AddPipelineCycles();
        Explain.ExplainServiceCollectionExtensions.AddExplain(services);
        return services;
    }

    /// <summary>
    /// Registers <see cref="SyntheticsOptions"/> validated at start (<c>ValidateOnStart</c>): the generated validator of
    /// the section's attributes (nested sections and every target included), the schedules' and the targets' rules. The
    /// caller binds it (<see cref="AddSynthetics"/> binds the <c>Synthetics</c> section, scaled by its time scale); the
    /// targets' rules need <see cref="AddTargetCatalog"/> and the probes (<see cref="AddProbes"/>).
    /// </summary>
    public static OptionsBuilder<SyntheticsOptions> AddSyntheticsOptions(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SyntheticsOptions>, SyntheticsOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SyntheticsOptions>, ScheduleOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SyntheticsOptions>, TargetOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SyntheticsOptions>, SamplingOptionsValidator>());
        return services.AddOptions<SyntheticsOptions>().ValidateOnStart();
    }

    /// <summary>
    /// Registers the host's one <see cref="TargetCatalog"/>, built on first use from the validated options and the
    /// registered probes, by the factory that validation shares (so each kubeconfig and CA bundle is read once per host).
    /// </summary>
    public static IServiceCollection AddTargetCatalog(this IServiceCollection services)
    {
        services.TryAddSingleton<ITargetSourceReader, TargetSourceReader>();
        services.TryAddSingleton<TargetCatalogFactory>();
        services.TryAddSingleton(provider => provider.GetRequiredService<TargetCatalogFactory>()
            .Create(provider.GetRequiredService<IOptions<SyntheticsOptions>>().Value));
        services.TryAddSingleton<ITargetCatalogStore, TableTargetCatalogStore>();
        services.TryAddSingleton<ITargetCatalogSource, DiscoveredCatalogSource>();
        return services;
    }

    /// <summary>
    /// Registers the pipeline's cycles (probe and store, evaluate, retention, discovery, maintenance): the services the Function App's triggers
    /// call, and that <see cref="AddPipelineScheduler"/> runs on their schedules in other hosts.
    /// </summary>
    public static IServiceCollection AddPipelineCycles(this IServiceCollection services)
    {
        services.TryAddSingleton<ProbeCycle>();
        services.TryAddSingleton<EvaluationCycle>();
        services.TryAddSingleton<RetentionCycle>();
        services.TryAddSingleton<DiscoveryCycle>();
        services.TryAddSingleton<MaintenanceCycle>();
        services.AddHttpClient();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPipelineCycle, ProbeCycle>(provider => provider.GetRequiredService<ProbeCycle>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPipelineCycle, EvaluationCycle>(provider => provider.GetRequiredService<EvaluationCycle>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPipelineCycle, RetentionCycle>(provider => provider.GetRequiredService<RetentionCycle>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPipelineCycle, DiscoveryCycle>(provider => provider.GetRequiredService<DiscoveryCycle>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPipelineCycle, MaintenanceCycle>(provider => provider.GetRequiredService<MaintenanceCycle>()));
        return services;
    }

    /// <summary>
    /// Runs every registered <see cref="IPipelineCycle"/> on its schedule in this generic host (the CLI, tests), as the
    /// Function App's timer triggers run them in Azure. Not for the Function App itself: its triggers are the scheduler.
    /// </summary>
    public static IServiceCollection AddPipelineScheduler(this IServiceCollection services)
    {
        services.AddHostedService<PipelineScheduler>();
        return services;
    }

    /// <summary>Registers evaluation, incident state, telemetry and provider maintenance.</summary>
    public static IServiceCollection AddDetection(this IServiceCollection services)
    {
        services.AddHttpClient();
        services.TryAddSingleton<IIncidentStateStore, TableIncidentStateStore>();
        services.TryAddSingleton<StatusPageMaintenanceSource>();
        services.TryAddSingleton<IAccountActivitySource, LinodeAccountActivitySource>();
        services.TryAddSingleton<IMaintenanceSource, ProviderContextSource>();
        services.TryAddSingleton(provider => TelemetryPublishers.Create(provider.GetRequiredService<IOptions<SyntheticsOptions>>().Value.Telemetry));
        services.TryAddSingleton<Evaluator>();
        return services;
    }

    /// <summary>Registers the built-in probes. Add an <see cref="IProbe"/> to extend the set.</summary>
    public static IServiceCollection AddProbes(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProbe, DnsProbe>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProbe, TcpProbe>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProbe, TlsProbe>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProbe, HttpProbe>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProbe, KubeHealthProbe>());
        services.TryAddSingleton<LeaseCanaryJournal>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProbe, KubeApiProbe>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProbe, LeaseCanaryProbe>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProbe, WatchProbe>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProbe, DisruptionNewProbe>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProbe, DisruptionReusedProbe>());
        return services;
    }

    /// <summary>
    /// The probes <see cref="AddProbes"/> registers, outside a host: for tools and tests that run probes directly. Taken
    /// from the registration itself, so the two cannot drift apart.
    /// </summary>
    public static IReadOnlyList<IProbe> BuiltInProbes()
    {
        // Not disposed: the probes outlive the call, and nothing of theirs needs the container's disposal.
        var provider = new ServiceCollection().AddProbes().BuildServiceProvider();
        return [.. provider.GetServices<IProbe>()];
    }
}
