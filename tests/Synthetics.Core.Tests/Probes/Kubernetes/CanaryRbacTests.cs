using k8s;
using k8s.Models;

namespace Synthetics.Core.Tests.Probes.Kubernetes;

/// <summary>The canary's identity in a cluster (infra/k8s/canary-rbac.yaml) may touch Leases in its namespace and nothing else.</summary>
public sealed class CanaryRbacTests
{
    private const string Namespace = "synthetics-canary";

    private static readonly List<object> Objects = KubernetesYaml.LoadAllFromString(File.ReadAllText(ManifestPath()));

    [Fact]
    public void Manifest_Objects_AreExactlyNamespaceServiceAccountRoleBindingAndTokenSecret()
    {
        Assert.Equal(
            ["V1Namespace", "V1Role", "V1RoleBinding", "V1Secret", "V1ServiceAccount"],
            Objects.Select(o => o.GetType().Name).Order(StringComparer.Ordinal));
        Assert.Equal(Namespace, Objects.OfType<V1Namespace>().Single().Metadata.Name);
        Assert.All(Objects.OfType<IMetadata<V1ObjectMeta>>().Where(o => o is not V1Namespace),
            o => Assert.Equal(Namespace, o.Metadata.NamespaceProperty));
    }

    [Fact]
    public void Role_Rules_GrantOnlyLeasesInTheCanaryNamespace()
    {
        var role = Objects.OfType<V1Role>().Single();

        Assert.Equal(Namespace, role.Metadata.NamespaceProperty);
        var rule = Assert.Single(role.Rules);
        Assert.Equal(["coordination.k8s.io"], rule.ApiGroups);
        Assert.Equal(["leases"], rule.Resources);
        Assert.Null(rule.NonResourceURLs);
        // What LeaderElector + LeaseLock, a list and a watch need; never delete, patch, escalate or a wildcard.
        Assert.Subset(new HashSet<string> { "get", "list", "watch", "create", "update" }, rule.Verbs.ToHashSet());
        Assert.DoesNotContain(role.Rules, r => (r.ApiGroups ?? []).Contains("*") || (r.Resources ?? []).Contains("*") || r.Verbs.Contains("*"));
        Assert.Empty(Objects.OfType<V1ClusterRole>());
        Assert.Empty(Objects.OfType<V1ClusterRoleBinding>());
    }

    [Fact]
    public void RoleBinding_BindsTheRoleToTheServiceAccountWithItsToken()
    {
        var binding = Objects.OfType<V1RoleBinding>().Single();
        var role = Objects.OfType<V1Role>().Single();
        var account = Objects.OfType<V1ServiceAccount>().Single();
        var secret = Objects.OfType<V1Secret>().Single();

        Assert.Equal(("Role", role.Metadata.Name), (binding.RoleRef.Kind, binding.RoleRef.Name));
        var subject = Assert.Single(binding.Subjects);
        Assert.Equal(("ServiceAccount", account.Metadata.Name, Namespace), (subject.Kind, subject.Name, subject.NamespaceProperty));
        Assert.Equal("kubernetes.io/service-account-token", secret.Type);
        Assert.Equal(account.Metadata.Name, secret.Metadata.Annotations["kubernetes.io/service-account.name"]);
    }

    private static string ManifestPath()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "infra", "k8s", "canary-rbac.yaml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("infra/k8s/canary-rbac.yaml not found above the test output directory");
    }
}
