using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Identity;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;
using Synthetics.Storage;
using static Synthetics.Infra.Tests.Support.CompiledTemplate;

namespace Synthetics.Infra.Tests;

/// <summary>
/// The app settings infra/ deploys to a vantage's Function App, taken from the compiled template and run through the
/// start-up the app itself runs (its composition and options validation): what ships is what is tested.
/// </summary>
public sealed partial class DeployedSettingsTests
{
    private const string IdentityClientId = "0f0e0d0c-0b0a-0908-0706-050403020100";

    /// <summary>
    /// Values Azure resolves at deployment (ARM expressions) or at run time (Key Vault references), each substituted here
    /// by name and on purpose: a new setting with such a value fails <see cref="DeployedSettings"/> until it is listed.
    /// </summary>
    private static readonly Dictionary<string, string> Placeholders = new(StringComparer.Ordinal)
    {
        ["AzureWebJobsStorage__accountName"] = "sthost1placeholder",
        ["AzureWebJobsStorage__clientId"] = IdentityClientId,
        ["AZURE_CLIENT_ID"] = IdentityClientId,
        // A closed loopback port: composing the exporter must not reach anything.
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/",
        ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = $"ClientId={IdentityClientId};Authorization=AAD",
        ["Synthetics__VantagePoint"] = "westeurope",
        ["Synthetics__Storage__Endpoint"] = "https://stresultsplaceholder.table.core.windows.net/",
        ["Synthetics__Storage__OutboxEndpoint"] = "https://sthost1placeholder.table.core.windows.net/",
        // A Key Vault reference to the linode-token secret when a token was given at provisioning, else empty.
        ["Synthetics__Linode__Token"] = "placeholder-linode-token",
    };

    [Fact]
    public void DeployedSettings_PassTheAppsStartValidation()
    {
        using var services = Compose(DeployedSettings());

        // What ValidateOnStart runs when the host starts: binding (unknown settings are errors) and every validator.
        services.GetRequiredService<IStartupValidator>().Validate();
        var options = services.GetRequiredService<IOptions<SyntheticsOptions>>().Value;

        Assert.Equal("westeurope", options.VantagePoint);
        Assert.Equal(Placeholders["Synthetics__Storage__Endpoint"], options.Storage.Endpoint);
        Assert.Equal(Placeholders["Synthetics__Storage__OutboxEndpoint"], options.Storage.OutboxEndpoint);
    }

    [Fact]
    public void DeployedSettings_ResultsStorageUsesTheAppsUserAssignedIdentity()
    {
        using var services = Compose(DeployedSettings());

        var storage = services.GetRequiredService<IOptions<SyntheticsOptions>>().Value.Storage;

        Assert.Equal(IdentityClientId, storage.ManagedIdentityClientId);
        Assert.IsType<ManagedIdentityCredential>(ResultStorageServiceCollectionExtensions.CreateCredential(storage));
    }

    [Fact]
    public void DeployedSettings_OutboxParksInTheAppsHostStorage()
    {
        using var services = Compose(DeployedSettings());

        Assert.True(services.GetRequiredService<ResultOutbox>().ParksBeyondInstance);
    }

    [Fact]
    public void DeployedSettings_CoverEveryTimerSchedule()
    {
        var settings = DeployedSettings();
        var schedules = typeof(FunctionAppComposition).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
            .SelectMany(m => m.GetParameters())
            .Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()?.Schedule)
            .OfType<string>()
            .ToList();

        Assert.NotEmpty(schedules);
        foreach (var schedule in schedules)
        {
            // A timer reads %Section:Key% from app settings, never from option defaults: a missing one stops the host.
            var setting = SettingReference().Match(schedule);
            Assert.True(setting.Success, $"schedule {schedule} is not read from a setting");
            Assert.Contains(setting.Groups[1].Value.Replace(":", "__", StringComparison.Ordinal), settings.Keys);
        }
    }

    [Fact]
    public void DeployedSettings_UnknownSyntheticsSetting_FailsStart()
    {
        // The guard the fix relies on: a setting the app does not know (as Synthetics__KeyVaultUri was) stops the host.
        var settings = DeployedSettings();
        settings["Synthetics__KeyVaultUri"] = "https://kv-placeholder.vault.azure.net/";
        using var services = Compose(settings);

        var error = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("KeyVaultUri", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The vantage app's settings as deployed, expressions and references replaced by their placeholders.</summary>
    private static Dictionary<string, string> DeployedSettings()
    {
        var app = Assert.Single(Resources("Microsoft.Web/sites"));
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var setting in app["properties"]!["siteConfig"]!["appSettings"]!.AsArray())
        {
            var name = setting!["name"]!.GetValue<string>();
            var value = setting["value"]!.GetValue<string>();
            settings[name] = Placeholders.TryGetValue(name, out var placeholder) ? placeholder
                : ModuleParameter(value) is { } parameter ? parameter
                : value;
            var resolved = settings[name];
            Assert.False(resolved.StartsWith('[') || resolved.Contains("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase),
                $"setting {name} is resolved by Azure ({value}): give it a placeholder in {nameof(Placeholders)}");
        }

        return settings;
    }

    /// <summary>
    /// A setting that is just a module parameter (<c>[parameters('probeSchedule')]</c>) whose value main.bicep passes
    /// from one of its own parameters: that parameter's default, the value azd deploys unless told otherwise.
    /// </summary>
    private static string? ModuleParameter(string value)
    {
        var inModule = ParameterReference().Match(value);
        if (!inModule.Success)
        {
            return null;
        }

        var passed = ModuleDeploying("Microsoft.Web/sites")["properties"]!["parameters"]![inModule.Groups[1].Value]?["value"]?.GetValue<string>();
        var inMain = passed is null ? null : ParameterReference().Match(passed);
        return inMain is { Success: true } ? Template["parameters"]![inMain.Groups[1].Value]?["defaultValue"]?.GetValue<string>() : null;
    }

    private static ServiceProvider Compose(Dictionary<string, string> settings)
    {
        // App settings reach the worker as environment variables: "__" is the section separator.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key.Replace("__", ":", StringComparison.Ordinal), (string?)s.Value)))
            .Build();
        return new ServiceCollection().AddLogging().AddFunctionApp(configuration, AppContext.BaseDirectory).BuildServiceProvider();
    }

    [GeneratedRegex(@"^\[parameters\('([A-Za-z0-9_]+)'\)\]$")]
    private static partial Regex ParameterReference();

    [GeneratedRegex("^%([^%]+)%$")]
    private static partial Regex SettingReference();
}
