using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Synthetics.Alerts;
using Synthetics.Configuration;
using Synthetics.Detection;
using Synthetics.Maintenance;
using Synthetics.Pipeline;
using Synthetics.Probes;
using Synthetics.Probes.Kubernetes;
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
        services.AddOptions<SyntheticsOptions>()
            .Configure(options => SyntheticsConfiguration.Populate(configuration, options, baseDirectory))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SyntheticsOptions>, SyntheticsOptionsValidator>());
        services.AddProbes();
        Storage.ResultStorageServiceCollectionExtensions.AddResultStorage(services, configuration, baseDirectory);
        services.TryAddSingleton(provider => new TargetCatalog(TargetCatalogBuilder.Build(
            provider.GetRequiredService<IOptions<SyntheticsOptions>>().Value, provider.GetServices<IProbe>())));
        services.TryAddSingleton<ProbeCycleRunner>();
        services.AddDetection();
        services.AddPipelineCycles();
        return services;
    }

    /// <summary>
    /// Registers the pipeline's cycles (probe and store, evaluate, retention): the services the Function App's triggers
    /// call, and that <see cref="AddPipelineScheduler"/> runs on their schedules in other hosts.
    /// </summary>
    public static IServiceCollection AddPipelineCycles(this IServiceCollection services)
    {
        services.TryAddSingleton<ProbeCycle>();
        services.TryAddSingleton<EvaluationCycle>();
        services.TryAddSingleton<RetentionCycle>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPipelineCycle, ProbeCycle>(provider => provider.GetRequiredService<ProbeCycle>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPipelineCycle, EvaluationCycle>(provider => provider.GetRequiredService<EvaluationCycle>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPipelineCycle, RetentionCycle>(provider => provider.GetRequiredService<RetentionCycle>()));
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
        services.TryAddSingleton<IMaintenanceSource, StatusPageMaintenanceSource>();
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
        return services;
    }

    /// <summary>The probes a catalog can be validated against without a container (tools and tests).</summary>
    public static IReadOnlyList<IProbe> BuiltInProbes()
    {
        // The canary and the watch share one journal: the watch checks it saw the canary's renewals.
        var journal = new LeaseCanaryJournal();
        return [new DnsProbe(), new TcpProbe(), new TlsProbe(), new HttpProbe(), new KubeHealthProbe(),
            new KubeApiProbe(), new LeaseCanaryProbe(journal), new WatchProbe(journal)];
    }
}
