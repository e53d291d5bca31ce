using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Synthetics.Lab.Kubernetes;

public sealed partial class LabKubernetesApi
{
    /// <summary>
    /// A kubeconfig (YAML) for this cluster with a token user, named the way LKE names them
    /// (<c>{cluster}-admin</c>, <c>{cluster}-ctx</c>). <paramref name="serverUrl"/> is explicit because clients usually
    /// reach the API through a NodeBalancer on another port; its host must be one of the certificate's names.
    /// </summary>
    public string CreateKubeconfig(string clusterName, Uri serverUrl, string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        return Kubeconfig(clusterName, serverUrl, [("token", token)]);
    }

    /// <summary>
    /// A kubeconfig whose user authenticates with <paramref name="clientCertificate"/> (issued by the cluster CA,
    /// with its private key) through <c>client-certificate-data</c> and <c>client-key-data</c>.
    /// </summary>
    public string CreateKubeconfig(string clusterName, Uri serverUrl, X509Certificate2 clientCertificate)
    {
        ArgumentNullException.ThrowIfNull(clientCertificate);
        var key = clientCertificate.GetECDsaPrivateKey()?.ExportECPrivateKeyPem()
                  ?? clientCertificate.GetRSAPrivateKey()?.ExportRSAPrivateKeyPem()
                  ?? throw new ArgumentException("The client certificate has no ECDSA or RSA private key.", nameof(clientCertificate));
        return Kubeconfig(clusterName, serverUrl,
        [
            ("client-certificate-data", Base64(clientCertificate.ExportCertificatePem())),
            ("client-key-data", Base64(key)),
        ]);
    }

    /// <summary>Writes <see cref="CreateKubeconfig(string, Uri, string)"/> to <paramref name="path"/>.</summary>
    public void WriteKubeconfig(string path, string clusterName, Uri serverUrl, string token) =>
        File.WriteAllText(path, CreateKubeconfig(clusterName, serverUrl, token));

    /// <summary>Writes <see cref="CreateKubeconfig(string, Uri, X509Certificate2)"/> to <paramref name="path"/>.</summary>
    public void WriteKubeconfig(string path, string clusterName, Uri serverUrl, X509Certificate2 clientCertificate) =>
        File.WriteAllText(path, CreateKubeconfig(clusterName, serverUrl, clientCertificate));

    private string Kubeconfig(string clusterName, Uri serverUrl, (string Key, string Value)[] credentials)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterName);
        ArgumentNullException.ThrowIfNull(serverUrl);
        var user = clusterName + "-admin";
        var context = clusterName + "-ctx";
        var server = serverUrl.GetLeftPart(UriPartial.Authority);
        var yaml = new StringBuilder()
            .Append("apiVersion: v1\n")
            .Append("kind: Config\n")
            .Append("preferences: {}\n")
            .Append("clusters:\n")
            .Append("- cluster:\n")
            .Append("    certificate-authority-data: ").Append(Base64(CaPem)).Append('\n')
            .Append("    server: ").Append(Quote(server)).Append('\n')
            .Append("  name: ").Append(Quote(clusterName)).Append('\n')
            .Append("users:\n")
            .Append("- name: ").Append(Quote(user)).Append('\n')
            .Append("  user:\n");
        foreach (var (key, value) in credentials)
        {
            yaml.Append("    ").Append(key).Append(": ").Append(Quote(value)).Append('\n');
        }

        return yaml
            .Append("contexts:\n")
            .Append("- context:\n")
            .Append("    cluster: ").Append(Quote(clusterName)).Append('\n')
            .Append("    namespace: default\n")
            .Append("    user: ").Append(Quote(user)).Append('\n')
            .Append("  name: ").Append(Quote(context)).Append('\n')
            .Append("current-context: ").Append(Quote(context)).Append('\n')
            .ToString();
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    // Double-quoted YAML scalars: a token or name can never be misread as another type or break the document.
    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
