using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Exceptions;

namespace Synthetics.Targets;

/// <summary>
/// Reads a kubeconfig, an untrusted input: <see cref="KubeconfigScreen"/> checks the parsed YAML first (no <c>exec</c>,
/// no <c>auth-provider</c>, no file outside the allowed directory) and hands KubernetesClient a kubeconfig with embedded
/// data only, so contexts and embedded data behave as kubectl's do while nothing is run and no other file is read.
/// Errors are one line naming the file and the field, never its content: kubeconfigs hold secrets.
/// </summary>
internal static class KubeconfigLoader
{
    private const string KeyVaultReferencePrefix = "@Microsoft.KeyVault(";

    /// <summary>What a kubeconfig gives a probe.</summary>
    internal sealed record Loaded(KubernetesCredentials Credentials, X509Certificate2Collection? ClusterCertificates);

    /// <summary>
    /// Loads <paramref name="path"/>; returns an error message instead of throwing for a bad file. File references in it
    /// must resolve inside <paramref name="allowedDirectory"/> (the directory of the config that names the kubeconfig;
    /// null: the kubeconfig's own directory).
    /// </summary>
    public static Loaded? TryLoad(string path, string? context, string? allowedDirectory, out string? error)
    {
        var what = $"Kubeconfig '{path}'";
        string yaml;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                error = $"Kubeconfig file '{path}' does not exist or cannot be read";
                return null;
            }

            if (info.Length > KubeconfigScreen.MaxFileBytes)
            {
                error = $"{what} is larger than {KubeconfigScreen.MaxFileBytes / 1024} KiB, too large for a kubeconfig";
                return null;
            }

            yaml = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = $"Kubeconfig file '{path}' does not exist or cannot be read";
            return null;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        var access = new KubeconfigScreen.Access(allowedDirectory ?? directory, directory);
        return TryLoadYaml(yaml, context, access, what, path, out error);
    }

    /// <summary>Loads a kubeconfig given as text (YAML or base64 of it), e.g. from a Key Vault reference; it may reference no file. Errors never quote it.</summary>
    public static Loaded? TryLoadContent(string content, string? context, out string? error)
    {
        // App Service leaves a reference it cannot resolve in the setting as written: the secret is missing or disabled,
        // or the app's identity may not read it.
        if (content.TrimStart().StartsWith(KeyVaultReferencePrefix, StringComparison.OrdinalIgnoreCase))
        {
            error = "KubeconfigContent is a Key Vault reference the platform did not resolve: the secret is missing or disabled, "
                    + "or the app's identity may not read it (the app's Environment variables page shows the reference's status)";
            return null;
        }

        return TryLoadYaml(KubeconfigScreen.DecodeContent(content), context, KubeconfigScreen.Access.None, "KubeconfigContent", "(KubeconfigContent)", out error);
    }

    private static Loaded? TryLoadYaml(string yaml, string? context, KubeconfigScreen.Access access, string what, string path, out string? error)
    {
        if (KubeconfigScreen.TryScreen(yaml, context, access, out var refused) is not { } screened)
        {
            // "Kubeconfig 'x' is not valid…", but "Kubeconfig 'x': users[0].user.exec is refused…".
            var predicate = refused!.StartsWith("is ", StringComparison.Ordinal) || refused.StartsWith("has ", StringComparison.Ordinal)
                            || refused.StartsWith("names ", StringComparison.Ordinal);
            error = predicate ? $"{what} {refused}" : $"{what}: {refused}";
            return null;
        }

        KubernetesClientConfiguration config;
        try
        {
            // Only the screened copy: one context, embedded data, no exec, no auth provider, no file.
            config = KubernetesClientConfiguration.BuildConfigFromConfigObject(screened.Configuration);
        }
        catch (KubeConfigException)
        {
            // Its messages can quote the file (a server URL, names): say which part, not what it holds.
            error = $"{what} cannot be used: the cluster's server URL or certificate-authority-data is not valid";
            return null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or CryptographicException or InvalidOperationException or NullReferenceException)
        {
            error = $"{what} cannot be used: certificate-authority-data is not a base64 PEM certificate";
            return null;
        }

        if (string.IsNullOrWhiteSpace(config.Host) || !Uri.TryCreate(config.Host, UriKind.Absolute, out var server)
            || (server.Scheme != Uri.UriSchemeHttps && server.Scheme != Uri.UriSchemeHttp))
        {
            error = $"{what} has no usable cluster server URL";
            return null;
        }

        // KubernetesClient turns CA data without a certificate into an empty bundle; taken as is, that would mean the system
        // store instead of the cluster CA the kubeconfig asked for.
        if (screened.Configuration.Clusters.Single().ClusterEndpoint.CertificateAuthorityData is { Length: > 0 } && config.SslCaCerts is not { Count: > 0 })
        {
            error = $"{what}: certificate-authority-data holds no PEM certificate";
            return null;
        }

        X509Certificate2? clientCertificate = null;
        if (!string.IsNullOrEmpty(config.ClientCertificateData))
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
            Warnings = screened.Warnings.Select(w => $"{what}: {w}").ToArray(),
        };
        var trusted = config.SslCaCerts is { Count: > 0 } ? config.SslCaCerts : null;
        error = null;
        return new Loaded(credentials, trusted);
    }

    private static X509Certificate2? LoadClientCertificate(KubernetesClientConfiguration config, string what, out string? error)
    {
        error = null;
        try
        {
            var certificatePem = Encoding.UTF8.GetString(Convert.FromBase64String(config.ClientCertificateData!));
            var keyPem = Encoding.UTF8.GetString(Convert.FromBase64String(config.ClientCertificateKeyData!));
            using var ephemeral = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            // Re-import so SslStream can use the key on every platform.
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or IOException or ArgumentException)
        {
            error = $"{what} has a client certificate or key that cannot be loaded (client-certificate-data and client-key-data must be a base64 PEM certificate and its key)";
            return null;
        }
    }
}
