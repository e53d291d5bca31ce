using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Exceptions;
using YamlDotNet.Core;

namespace Synthetics.Targets;

/// <summary>
/// Reads a kubeconfig with KubernetesClient's own loader, so contexts, embedded data and relative file paths
/// behave as kubectl's do. Errors describe the file and the field, never its content: kubeconfigs hold secrets.
/// </summary>
internal static class KubeconfigLoader
{
    /// <summary>What a kubeconfig gives a probe.</summary>
    internal sealed record Loaded(KubernetesCredentials Credentials, X509Certificate2Collection? ClusterCertificates);

    /// <summary>Loads <paramref name="path"/>; returns an error message instead of throwing for a bad file.</summary>
    public static Loaded? TryLoad(string path, string? context, out string? error)
    {
        if (!File.Exists(path))
        {
            error = $"Kubeconfig file '{path}' does not exist or cannot be read";
            return null;
        }

        return TryLoad(() => KubernetesClientConfiguration.BuildConfigFromConfigFile(new FileInfo(path), context), $"Kubeconfig '{path}'", path, out error);
    }

    /// <summary>Loads a kubeconfig given as text (YAML or base64 of it), e.g. from a Key Vault reference. Errors never quote it.</summary>
    public static Loaded? TryLoadContent(string content, string? context, out string? error)
    {
        var yaml = content.TrimStart().StartsWith("apiVersion", StringComparison.Ordinal) || content.Contains('\n', StringComparison.Ordinal)
            ? content
            : TryDecodeBase64(content) ?? content;
        return TryLoad(
            () =>
            {
                using var stream = new MemoryStream(Encoding.UTF8.GetBytes(yaml));
                return KubernetesClientConfiguration.BuildConfigFromConfigFile(stream, context);
            },
            "KubeconfigContent",
            "(KubeconfigContent)",
            out error);
    }

    private static string? TryDecodeBase64(string text)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(text.Trim()));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static Loaded? TryLoad(Func<KubernetesClientConfiguration> build, string what, string path, out string? error)
    {
        error = null;
        KubernetesClientConfiguration config;
        try
        {
            config = build();
        }
        catch (YamlException ex)
        {
            // YamlDotNet's messages carry positions, not the text around them.
            error = $"{what} is not valid kubeconfig YAML (line {ex.Start.Line}, column {ex.Start.Column})";
            return null;
        }
        catch (KubeConfigException ex)
        {
            error = $"{what} cannot be used: {Describe(ex)}";
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentException or NullReferenceException or InvalidOperationException)
        {
            error = $"{what} cannot be read ({ex.GetType().Name})";
            return null;
        }

        if (string.IsNullOrWhiteSpace(config.Host) || !Uri.TryCreate(config.Host, UriKind.Absolute, out var server)
            || (server.Scheme != Uri.UriSchemeHttps && server.Scheme != Uri.UriSchemeHttp))
        {
            error = $"{what} has no usable cluster server URL";
            return null;
        }

        X509Certificate2? clientCertificate = null;
        if (!string.IsNullOrEmpty(config.ClientCertificateData) || !string.IsNullOrEmpty(config.ClientCertificateFilePath))
        {
            clientCertificate = LoadClientCertificate(config, what, out error);
            if (clientCertificate is null)
            {
                return null;
            }
        }

        var credentials = new KubernetesCredentials
        {
            Server = server,
            BearerToken = string.IsNullOrEmpty(config.AccessToken) ? null : config.AccessToken,
            ClientCertificate = clientCertificate,
            KubeconfigPath = path,
        };
        var trusted = config.SslCaCerts is { Count: > 0 } ? config.SslCaCerts : null;
        return new Loaded(credentials, trusted);
    }

    private static X509Certificate2? LoadClientCertificate(KubernetesClientConfiguration config, string what, out string? error)
    {
        error = null;
        try
        {
            var certificatePem = config.ClientCertificateData is { Length: > 0 } data
                ? Encoding.UTF8.GetString(Convert.FromBase64String(data))
                : File.ReadAllText(config.ClientCertificateFilePath!);
            var keyPem = config.ClientCertificateKeyData is { Length: > 0 } keyData
                ? Encoding.UTF8.GetString(Convert.FromBase64String(keyData))
                : File.ReadAllText(config.ClientKeyFilePath!);
            using var ephemeral = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            // Re-import so SslStream can use the key on every platform.
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or IOException or ArgumentException)
        {
            error = $"{what} has a client certificate or key that cannot be loaded ({ex.GetType().Name})";
            return null;
        }
    }

    // KubeConfigException messages name contexts, clusters and users, never credentials.
    private static string Describe(KubeConfigException ex) => ex.Message.TrimEnd('.');
}
