using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synthetics.Lab.Region;

public sealed partial class LabRegion
{
    /// <summary>The file the web backends' CA is written to, next to the configs.</summary>
    public const string WebCaFileName = "ca-web-ca.pem";

    private static readonly JsonSerializerOptions ConfigJson = new() { WriteIndented = true };

    /// <summary>
    /// Writes into <paramref name="directory"/> (created if needed): a kubeconfig per cluster and vantage
    /// (<c>ca-prod.eu-west.kubeconfig</c>…), the web CA (<see cref="WebCaFileName"/>), <c>synthetics.json</c> (targets
    /// <c>ca-prod-api</c>, <c>us-prod-api</c>, <c>ca-web</c>, <c>ca-web-tcp</c> for the first vantage), one
    /// <c>synthetics.&lt;vantage&gt;.json</c> per vantage, <c>synthetics.discovery.json</c> (no targets: the Linode API's
    /// token and the clusters' kubeconfigs, for discovery), and <c>lab.json</c> (Linode API URL and token, status page,
    /// ingestion connection string, admin URL). Paths inside the configs are relative to the configs. Files holding
    /// tokens are readable by the owner only (where the OS has Unix modes).
    /// </summary>
    public LabConfigFiles WriteConfig(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var root = Directory.CreateDirectory(Path.GetFullPath(directory)).FullName;
        File.WriteAllText(Path.Combine(root, WebCaFileName), WebCaPem);

        var vantageConfigs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var vantage in Vantages)
        {
            foreach (var cluster in _clusters)
            {
                WriteSecret(Path.Combine(root, KubeconfigFileName(cluster, vantage)), cluster.CreateKubeconfig(vantage));
            }

            var path = Path.Combine(root, $"synthetics.{vantage}.json");
            File.WriteAllText(path, ProductConfig(vantage).ToJsonString(ConfigJson));
            vantageConfigs.Add(vantage, path);
        }

        var config = Path.Combine(root, "synthetics.json");
        File.WriteAllText(config, ProductConfig(Vantages[0]).ToJsonString(ConfigJson));
        var discovery = Path.Combine(root, "synthetics.discovery.json");
        WriteSecret(discovery, DiscoveryConfig(Vantages[0]).ToJsonString(ConfigJson));
        var manifest = Path.Combine(root, "lab.json");
        WriteSecret(manifest, Manifest(vantageConfigs).ToJsonString(ConfigJson));
        return new LabConfigFiles(root, config, vantageConfigs, manifest) { DiscoveryConfig = discovery };
    }

    private static string KubeconfigFileName(LabCluster cluster, string vantage) => $"{cluster.Label}.{vantage}.kubeconfig";

    /// <summary>The <c>Synthetics</c> section for <paramref name="vantage"/> (contract: DESIGN §5).</summary>
    private JsonObject ProductConfig(string vantage)
    {
        var targets = new JsonArray();
        foreach (var cluster in _clusters)
        {
            targets.Add(new JsonObject
            {
                ["Name"] = $"{cluster.Label}-api",
                ["Kind"] = "KubernetesApi",
                ["Region"] = cluster.LinodeRegion,
                ["Kubeconfig"] = KubeconfigFileName(cluster, vantage),
                ["Labels"] = Labels(
                    ("cluster", cluster.Label),
                    ("clusterId", cluster.Id.ToString(CultureInfo.InvariantCulture)),
                    ("nodebalancer", cluster.NodeBalancer.Name),
                    ("tier", "control-plane")),
            });
        }

        var web = WebNodeBalancer.GetEndpoint(vantage);
        targets.Add(new JsonObject
        {
            ["Name"] = "ca-web",
            ["Kind"] = "Http",
            ["Region"] = CaCentral,
            ["Url"] = GetWebUrl(vantage).ToString(),
            ["ExpectStatus"] = 200,
            ["CaFile"] = WebCaFileName,
            ["Labels"] = Labels(("nodebalancer", WebNodeBalancer.Name), ("tier", "web")),
        });
        targets.Add(new JsonObject
        {
            ["Name"] = "ca-web-tcp",
            ["Kind"] = "Tcp",
            ["Region"] = CaCentral,
            ["Host"] = web.Address.ToString(),
            ["Port"] = web.Port,
            ["Labels"] = Labels(("nodebalancer", WebNodeBalancer.Name), ("tier", "web")),
        });

        // The product's shipped timings, no lab-picked ones: a lab playing its scenario N times faster asks the product
        // to run N times faster too (Synthetics:TimeScale), which scales every duration and schedule by the same factor.
        var section = new JsonObject { ["VantagePoint"] = vantage };
        var productScale = Math.Round(1 / _options.ScenarioOptions.TimeScale, 6);
        if (productScale != 1)
        {
            section["TimeScale"] = productScale;
        }

        section["Targets"] = targets;
        return new JsonObject { ["Synthetics"] = section };
    }

    /// <summary>
    /// A config as a new user with discovery writes it: no targets, the Linode token (in Azure a Key Vault reference), the
    /// kubeconfig of each cluster under its id (the convention <c>Synthetics:Discovery:Kubeconfigs:&lt;clusterId&gt;</c>)
    /// and the lab's status page instead of Linode's.
    /// </summary>
    private JsonObject DiscoveryConfig(string vantage)
    {
        var kubeconfigs = new JsonObject();
        foreach (var cluster in _clusters)
        {
            kubeconfigs[cluster.Id.ToString(CultureInfo.InvariantCulture)] = cluster.CreateKubeconfig(vantage);
        }

        var section = new JsonObject { ["VantagePoint"] = vantage };
        var productScale = Math.Round(1 / _options.ScenarioOptions.TimeScale, 6);
        if (productScale != 1)
        {
            section["TimeScale"] = productScale;
        }

        section["Linode"] = new JsonObject
        {
            ["ApiUrl"] = new Uri(LinodeApi.BaseAddress, "v4/").ToString(),
            ["Token"] = LinodeApiToken,
        };
        section["Discovery"] = new JsonObject { ["Kubeconfigs"] = kubeconfigs };
        section["Maintenance"] = new JsonObject { ["StatusPageUrl"] = StatusPage.BaseAddress.ToString() };
        return new JsonObject { ["Synthetics"] = section };
    }

    /// <summary><c>lab.json</c>: everything later tooling needs to find and drive the lab.</summary>
    private JsonObject Manifest(Dictionary<string, string> vantageConfigs)
    {
        var clusters = new JsonArray();
        foreach (var cluster in _clusters)
        {
            clusters.Add(new JsonObject
            {
                ["id"] = cluster.Id,
                ["label"] = cluster.Label,
                ["region"] = cluster.LinodeRegion,
                ["nodeBalancer"] = cluster.NodeBalancer.Name,
                ["endpoints"] = PerVantage(vantage => cluster.GetServerUrl(vantage).GetLeftPart(UriPartial.Authority)),
                ["kubeconfigs"] = PerVantage(vantage => KubeconfigFileName(cluster, vantage)),
            });
        }

        return new JsonObject
        {
            ["scenario"] = Scenario,
            ["scenarioStartedAt"] = ScenarioStartedAt.ToString("O", CultureInfo.InvariantCulture),
            ["vantages"] = new JsonArray([.. Vantages.Select(v => (JsonNode)JsonValue.Create(v))]),
            ["linodeApi"] = new JsonObject
            {
                ["url"] = new Uri(LinodeApi.BaseAddress, "v4/").ToString(),
                ["token"] = LinodeApiToken,
            },
            ["statusPage"] = new JsonObject
            {
                ["url"] = StatusPage.BaseAddress.ToString(),
                ["summary"] = new Uri(StatusPage.BaseAddress, "api/v2/summary.json").ToString(),
            },
            ["ingestion"] = new JsonObject
            {
                ["endpoint"] = Ingestion.BaseAddress.ToString(),
                ["connectionString"] = IngestionConnectionString,
            },
            ["admin"] = new JsonObject
            {
                ["url"] = AdminAddress.ToString(),
                ["nodeBalancers"] = new Uri(AdminAddress, "admin/nodebalancers").ToString(),
                ["scenario"] = new Uri(AdminAddress, "admin/scenario").ToString(),
            },
            ["clusters"] = clusters,
            ["web"] = new JsonObject
            {
                ["nodeBalancer"] = WebNodeBalancer.Name,
                ["urls"] = PerVantage(vantage => GetWebUrl(vantage).ToString()),
                ["caFile"] = WebCaFileName,
            },
            ["configs"] = PerVantage(vantage => Path.GetFileName(vantageConfigs[vantage])),
        };
    }

    private JsonObject PerVantage(Func<string, string> value)
    {
        var result = new JsonObject();
        foreach (var vantage in Vantages)
        {
            result[vantage] = value(vantage);
        }

        return result;
    }

    private static JsonObject Labels(params (string Key, string Value)[] labels)
    {
        var result = new JsonObject();
        foreach (var (key, value) in labels)
        {
            result[key] = value;
        }

        return result;
    }

    /// <summary>Writes a file that holds a token, readable by its owner only where the OS supports it.</summary>
    private static void WriteSecret(string path, string content)
    {
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
