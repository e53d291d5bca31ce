using System.Text.Json.Nodes;
using static Synthetics.Infra.Tests.Support.CompiledTemplate;

namespace Synthetics.Infra.Tests;

/// <summary>infra/main.bicep compiled with the real Bicep CLI, and the compiled template checked for what matters.</summary>
public sealed class BicepTemplateTests
{
    [Fact]
    public void Build_MainTemplate_CompilesWithoutWarnings()
    {
        var (exit, _, errors) = Build;

        Assert.True(exit == 0, errors);
        Assert.DoesNotContain("Warning", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Error", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_MainTemplate_IsClean()
    {
        var (exit, output, errors) = Bicep("lint", "infra/main.bicep");

        Assert.True(exit == 0, output + errors);
        Assert.Equal("", (output + errors).Trim());
    }

    [Fact]
    public void StorageAccounts_AllowIdentityOnly()
    {
        var accounts = Resources("Microsoft.Storage/storageAccounts").ToList();

        Assert.Equal(2, accounts.Count); // results, and host storage per vantage (one definition, deployed three times)
        Assert.All(accounts, a => Assert.False(a["properties"]!["allowSharedKeyAccess"]!.GetValue<bool>()));
        Assert.All(accounts, a => Assert.False(a["properties"]!["allowBlobPublicAccess"]!.GetValue<bool>()));
    }

    [Fact]
    public void RoleAssignments_HaveDeterministicNamesAndOnlyTheRolesTheAppNeeds()
    {
        string[] allowed =
        [
            "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner (host storage)
            "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor (results; host storage: parked outbox batches)
            "3913510d-42f4-4e42-8a64-420c390055eb", // Monitoring Metrics Publisher
            "4633458b-17de-408a-b874-0445c86b69e6", // Key Vault Secrets User
        ];

        var assignments = Resources("Microsoft.Authorization/roleAssignments").ToList();

        Assert.Equal(5, assignments.Count);
        Assert.All(assignments, a => Assert.StartsWith("[guid(", a["name"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.All(assignments, a => Assert.Contains(allowed, id => a["properties"]!["roleDefinitionId"]!.GetValue<string>().Contains(id, StringComparison.Ordinal)));
    }

    [Fact]
    public void FunctionApp_RunsDotnet10IsolatedOnFlexConsumptionWithoutSecretsInSettings()
    {
        var app = Assert.Single(Resources("Microsoft.Web/sites"));
        var runtime = app["properties"]!["functionAppConfig"]!["runtime"]!;
        var settings = app["properties"]!["siteConfig"]!["appSettings"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).ToList();
        var plan = Assert.Single(Resources("Microsoft.Web/serverfarms"));

        Assert.Equal("dotnet-isolated", runtime["name"]!.GetValue<string>());
        Assert.Equal("10.0", runtime["version"]!.GetValue<string>());
        Assert.Equal("FC1", plan["sku"]!["name"]!.GetValue<string>());
        Assert.Contains("Synthetics__VantagePoint", settings);
        Assert.Contains("Synthetics__ProbeSchedule", settings);
        Assert.Contains("AzureWebJobsStorage__accountName", settings);
        Assert.DoesNotContain("AzureWebJobsStorage", settings); // a connection string would carry a key
        Assert.DoesNotContain("AccountKey", Build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AzureYaml_DeploysTheFunctionAppToEveryVantageOutput()
    {
        var yaml = File.ReadAllText(Path.Combine(Root, "azure.yaml"));
        var outputs = Template["outputs"]!.AsObject().Select(o => o.Key).ToList();

        foreach (var index in new[] { 1, 2, 3 })
        {
            Assert.Contains($"SYNTHETICS_VANTAGE_{index}_APP", outputs);
            Assert.Contains($"resourceName: ${{SYNTHETICS_VANTAGE_{index}_APP}}", yaml, StringComparison.Ordinal);
        }

        Assert.Contains("project: ./functions/Synthetics.Functions", yaml, StringComparison.Ordinal);
    }
}
