using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Synthetics;
using Synthetics.Alerts;

var builder = FunctionsApplication.CreateBuilder(args);

// Relative paths in settings (kubeconfigs, CA bundles) resolve against the deployed app's root.
builder.Services.AddFunctionApp(builder.Configuration, AppContext.BaseDirectory);

builder.Build().Run();

/// <summary>
/// The Function App's composition, shared by <c>Program</c> and the tests: the Synthetics services (validated at start)
/// and the worker's telemetry, wired the way host.json's <c>"telemetryMode": "OpenTelemetry"</c> expects.
/// </summary>
internal static class FunctionAppComposition
{
    /// <summary>What host.json's <c>telemetryMode</c> must say for the wiring below to be the right one.</summary>
    public const string TelemetryMode = "OpenTelemetry";

    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public static IServiceCollection AddFunctionApp(this IServiceCollection services, IConfiguration configuration, string baseDirectory)
    {
        services.AddSynthetics(configuration, baseDirectory);
        // Timer triggers read the NCRONTAB app settings as they are: a time scale would desynchronise them.
        services.AddRealTimeOnly();

        // With telemetryMode OpenTelemetry the host exports its own telemetry and expects the worker to export through
        // OpenTelemetry as well (UseFunctionsWorkerDefaults tells the host so, and the host stops forwarding worker logs).
        // Microsoft.Azure.Functions.Worker.ApplicationInsights is not an option: it fails with the 3.x SDK.
        // Without a connection string (func start on a laptop) there is nowhere to export to.
        var connectionString = configuration[ConnectionStringSetting];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            services.AddOpenTelemetry()
                .UseFunctionsWorkerDefaults()
                .UseAzureMonitorExporter(exporter =>
                {
                    exporter.ConnectionString = connectionString;
                    // The resource takes only Entra-authenticated telemetry: the same identity as the incident events.
                    exporter.Credential = TelemetryPublishers.CreateCredential(configuration[TelemetryPublishers.AuthenticationStringSetting]);
                    // The alert "no evaluation ran" reads the Evaluate function's log: a sampled-away line is a false page.
                    exporter.SamplingRatio = 1.0f;
                    exporter.TracesPerSecond = null;
                    exporter.EnableTraceBasedLogsSampler = false;
                });
        }

        return services;
    }
}
